import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { QedError } from '@qed/core';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { type ManifestProblem, manifestsInvalid } from '../load-manifests.js';
import type { ManifestProfile } from './render-types.js';

/**
 * A profile, as manifests/profiles/<name>.yaml writes it (schema in manifests/README.md):
 * what claims are backed by and what the base's host folders become.
 */
export interface Profile {
  name: ManifestProfile;
  description: string;
  /** Set on every claim. */
  storageClassName: string;
  /** hostPath: each claim gets a PersistentVolume under the data root, bound by name. none: the class provisions. */
  persistentVolumes: 'hostPath' | 'none';
  /** For the PersistentVolumes render makes. */
  reclaimPolicy: 'Retain' | 'Delete';
  /** What a base hostPath (a folder relative to the data root) becomes. */
  hostFolders: 'hostPath' | 'emptyDir' | 'omit';
}

interface FieldRule {
  required: boolean;
  check: (value: unknown) => string | null;
}

const oneOf =
  (...allowed: string[]) =>
  (value: unknown) =>
    typeof value === 'string' && allowed.includes(value) ? null : `must be one of ${allowed.join(', ')}`;

const FIELDS: Record<keyof Profile, FieldRule> = {
  name: { required: true, check: (v) => (typeof v === 'string' ? null : 'must be a string') },
  description: { required: false, check: (v) => (typeof v === 'string' ? null : 'must be a string') },
  storageClassName: {
    required: true,
    check: (v) =>
      typeof v === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v)
        ? null
        : 'must be a storage class name (lowercase DNS subdomain)',
  },
  persistentVolumes: { required: true, check: oneOf('hostPath', 'none') },
  reclaimPolicy: { required: false, check: oneOf('Retain', 'Delete') },
  hostFolders: { required: true, check: oneOf('hostPath', 'emptyDir', 'omit') },
};

export async function loadProfile(manifestsDir: string, profile: ManifestProfile): Promise<Profile> {
  const file = path.join(manifestsDir, 'profiles', `${profile}.yaml`);
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new QedError('MANIFESTS_NOT_FOUND', `no profile file for ${profile}: ${file}`, {
      hint: `Each profile is a file in ${path.join(manifestsDir, 'profiles')}; check --manifests points at the repository's manifests/ folder.`,
      cause: error,
    });
  });
  const { profile: parsed, problems } = parseProfile(text, file, profile);
  if (!parsed) throw manifestsInvalid(problems, 'profile');
  return parsed;
}

/** Parses and checks a profile file's text; problems are returned with their lines. */
export function parseProfile(
  text: string,
  file: string,
  expected: ManifestProfile,
): { profile: Profile | null; problems: ManifestProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: ManifestProblem[] = [];
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  for (const error of doc.errors) {
    const pos = lineCounter.linePos(error.pos[0]);
    problems.push({
      file,
      line: pos.line,
      column: pos.col,
      message: error.message.split('\n')[0] ?? 'invalid YAML',
    });
  }
  if (problems.length > 0) return { profile: null, problems };
  if (!isMap(doc.contents))
    return {
      profile: null,
      problems: [{ file, line: 1, column: 1, message: 'a profile is a mapping of settings' }],
    };

  const values: Record<string, unknown> = {};
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const line = lineAt((pair.key as { range?: [number, number, number] } | null)?.range?.[0]);
    const rule = FIELDS[key as keyof Profile];
    if (!rule) {
      problems.push({
        file,
        line,
        column: 1,
        field: key,
        message: `unknown setting; a profile has ${Object.keys(FIELDS).join(', ')}`,
      });
      continue;
    }
    const value = isScalar(pair.value) ? pair.value.value : pair.value;
    const message = rule.check(value);
    if (message) problems.push({ file, line, column: 1, field: key, message });
    values[key] = value;
  }
  for (const [key, rule] of Object.entries(FIELDS)) {
    if (rule.required && values[key] === undefined)
      problems.push({ file, line: 1, column: 1, field: key, message: 'missing' });
  }
  if (values.name !== undefined && values.name !== expected) {
    problems.push({
      file,
      line: 1,
      column: 1,
      field: 'name',
      message: `must be ${expected}, the file's name`,
    });
  }
  if (values.persistentVolumes === 'hostPath' && values.reclaimPolicy === undefined) {
    problems.push({
      file,
      line: 1,
      column: 1,
      field: 'reclaimPolicy',
      message: 'required with persistentVolumes: hostPath',
    });
  }
  if (problems.length > 0) return { profile: null, problems };
  return {
    profile: {
      name: expected,
      description: (values.description as string | undefined) ?? '',
      storageClassName: values.storageClassName as string,
      persistentVolumes: values.persistentVolumes as Profile['persistentVolumes'],
      reclaimPolicy: (values.reclaimPolicy as Profile['reclaimPolicy'] | undefined) ?? 'Delete',
      hostFolders: values.hostFolders as Profile['hostFolders'],
    },
    problems,
  };
}
