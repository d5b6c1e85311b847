import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureQedDir, QedError } from '@qed/core';
import { secretsMissing } from './plan-render.js';
import {
  type ManifestProfile,
  SECRET_ENV_PREFIX,
  SECRET_KEY_PATTERN,
  type SecretValues,
} from './render-types.js';
import { nodeWriteFs, type WriteFs, writeFileAtomic } from '@qed/core';

export interface ReadSecretValuesOptions {
  /** The keys to find values for (requiredSecretKeys). */
  keys: string[];
  /** Where QED_SECRET_<KEY> variables are read. */
  env: Readonly<Record<string, string | undefined>>;
  /** A dotenv-style file of KEY=value lines. */
  secretsFile?: string;
  profile: ManifestProfile;
  /** Local profile only: make up values for missing keys and append them to secretsFile. */
  generateMissing: boolean;
}

export interface SecretValuesRead {
  values: SecretValues;
  /** Keys whose values were generated (and saved) by this call. */
  generated: string[];
  /** Where the values came from, for messages: names and paths, never values. */
  source: string;
}

/** What `planSecretValues` found, before anything is saved. */
export interface SecretValuesPlan {
  values: SecretValues;
  /** Keys no source has: for the local profile, with generateMissing, they got a value in `values` that `saveGeneratedSecrets` keeps. */
  missing: string[];
  /** Keys given a generated value, still to be saved (a subset of `missing`). */
  generated: string[];
  /** Where the values came from, for messages: names and paths, never values. */
  source: string;
  /** The secrets file and its text as read (null: absent), so saving appends to what was read. */
  secretsFile: string | undefined;
  existingText: string | null;
}

/**
 * Finds a value for every key: QED_SECRET_<KEY> in the environment first (it is the
 * more deliberate of the two), then the secrets file. For the local profile, with
 * generateMissing, a missing key gets a random url-safe value, in memory: nothing is
 * written (a dry run plans with it and forgets it). Otherwise missing keys are only
 * listed; `readSecretValues` makes them SECRETS_MISSING. No value is ever part of a
 * message.
 */
export async function planSecretValues(options: ReadSecretValuesOptions): Promise<SecretValuesPlan> {
  const invalid = options.keys.filter((key) => !SECRET_KEY_PATTERN.test(key));
  if (invalid.length > 0) {
    throw new QedError('SECRETS_INVALID_KEY', `not a secret key name: ${invalid.join(', ')}`, {
      hint: 'Secret keys are UPPER_SNAKE_CASE.',
    });
  }
  const existingText = options.secretsFile ? await readIfExists(options.secretsFile) : null;
  const fromFile = existingText !== null && options.secretsFile ? parseSecretsFile(existingText, options.secretsFile) : new Map<string, string>();

  const values: SecretValues = {};
  const sources = new Set<string>();
  const missing: string[] = [];
  for (const key of options.keys) {
    const fromEnv = options.env[`${SECRET_ENV_PREFIX}${key}`];
    if (fromEnv) {
      values[key] = fromEnv;
      sources.add(`environment (${SECRET_ENV_PREFIX}*)`);
    } else if (fromFile.get(key)) {
      values[key] = fromFile.get(key) as string;
      sources.add(options.secretsFile as string);
    } else missing.push(key);
  }
  const generated: string[] = [];
  if (missing.length > 0 && options.profile === 'local' && options.generateMissing && options.secretsFile) {
    for (const key of missing) {
      values[key] = randomBytes(32).toString('base64url');
      generated.push(key);
    }
    sources.add(`${options.secretsFile} (generated ${generated.join(', ')})`);
  }
  return { values, missing, generated, source: sources.size > 0 ? [...sources].join(', ') : 'none', secretsFile: options.secretsFile, existingText };
}

/**
 * Stops when a key has no value (SECRETS_MISSING, or SECRETS_FILE_REQUIRED when
 * values could be generated but have no file to live in), then appends the
 * generated values to the secrets file (created 0600; existing lines kept), so
 * later renders reuse them and the database keeps accepting its password.
 */
export async function saveGeneratedSecrets(plan: SecretValuesPlan, options: Pick<ReadSecretValuesOptions, 'profile' | 'generateMissing'>, io: WriteFs = nodeWriteFs): Promise<SecretValuesRead> {
  const unresolved = plan.missing.filter((key) => !plan.generated.includes(key));
  if (unresolved.length > 0) {
    if (options.profile !== 'local' || !options.generateMissing) throw secretsMissing(unresolved);
    throw new QedError('SECRETS_FILE_REQUIRED', `generated secrets need a file to be kept in (missing: ${unresolved.join(', ')})`, {
      hint: 'Pass a secrets file, so values generated now are reused by the next render.',
    });
  }
  if (plan.generated.length > 0 && plan.secretsFile) {
    await appendSecrets(plan.secretsFile, plan.existingText, plan.generated.map((key) => `${key}=${plan.values[key]}`), io);
  }
  return { values: plan.values, generated: plan.generated, source: plan.source };
}

/** planSecretValues, then saveGeneratedSecrets: every key has a value, and generated ones are kept. */
export async function readSecretValues(options: ReadSecretValuesOptions, io: WriteFs = nodeWriteFs): Promise<SecretValuesRead> {
  return saveGeneratedSecrets(await planSecretValues(options), options, io);
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new QedError(
      'SECRETS_FILE_UNREADABLE',
      `cannot read the secrets file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        hint: 'Check that the file is yours and readable (chmod 600).',
        cause: error,
      },
    );
  }
}

/**
 * KEY=value lines; blank lines and # comments are skipped, `export ` is allowed, a
 * value may be in single quotes (taken as is) or double quotes (\n, \" and \\
 * escapes). A later line wins. Problems name the line, never its content.
 */
export function parseSecretsFile(text: string, file: string): Map<string, string> {
  const values = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    const value = match ? unquote(match[2] ?? '') : null;
    if (!match?.[1] || value === null) {
      throw new QedError('SECRETS_FILE_INVALID', `${file}:${index + 1}: not a KEY=value line`, {
        hint: 'Write one KEY=value per line; quote values that contain spaces or #.',
        data: { file, line: index + 1 },
      });
    }
    values.set(match[1], value);
  });
  return values;
}

function unquote(value: string): string | null {
  if (value.startsWith("'")) return value.length >= 2 && value.endsWith("'") ? value.slice(1, -1) : null;
  if (value.startsWith('"')) {
    if (value.length < 2 || !value.endsWith('"')) return null;
    return value.slice(1, -1).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  // An unquoted value ends at a comment.
  return value.replace(/\s+#.*$/, '').trim();
}

async function appendSecrets(
  file: string,
  existing: string | null,
  lines: string[],
  io: WriteFs,
): Promise<void> {
  const before =
    existing === null
      ? '# qed-bootstrap secrets: KEY=value per line; QED_SECRET_<KEY> in the environment overrides a line.\n'
      : existing.endsWith('\n') || existing === ''
        ? existing
        : `${existing}\n`;
  const content = `${before}# Generated by qed-bootstrap for the local profile; reused by later renders.\n${lines.join('\n')}\n`;
  try {
    await ensureQedDir(path.dirname(file), { mode: 0o700 });
    await writeFileAtomic(file, content, 0o600, io);
  } catch (error) {
    throw new QedError(
      'SECRETS_FILE_UNWRITABLE',
      `cannot save generated secrets to ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        hint: `Check that ${path.dirname(file)} exists and is writable, or give the values with ${SECRET_ENV_PREFIX}<KEY>.`,
        cause: error,
      },
    );
  }
}
