import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Ajv, ErrorObject } from 'ajv';
import { type Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { QedError } from '../errors/qed-error.js';
import { normalizeClusterDriver } from './cluster-drivers.js';
import { qedConfigSchema } from './config-schema.js';
import { requireAjv } from './require-ajv.js';
import { defaultQedConfig, type QedConfig } from './qed-config.js';

export const CONFIG_FILE_NAME = 'qed.config.yaml';
const CONFIG_DOCS = 'docs/config.md';

export interface LoadedConfig {
  config: QedConfig;
  /** The file read, or null when none exists and only defaults apply. */
  file: string | null;
}

/** One problem in the config file, located for the user. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the offending key, e.g. cluster.cpus or images[2].name. */
  key: string;
  message: string;
}

export interface LoadConfigOptions {
  cwd: string;
  homeDir: string;
  /** --config FILE; when given, the file must exist. */
  configPath?: string;
}

/**
 * Reads qed.config.yaml (or --config FILE), validates it against the schema and
 * lays it over the defaults. A missing default file is fine; a missing named file,
 * bad YAML or a schema violation is a CONFIG_INVALID / CONFIG_NOT_FOUND error
 * whose message names file, line and key for every problem found.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const explicit = options.configPath !== undefined;
  const file = path.resolve(options.cwd, options.configPath ?? CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) {
      return { config: resolvePaths(defaultQedConfig(options.homeDir), options.cwd, options.homeDir), file: null };
    }
    throw new QedError('CONFIG_NOT_FOUND', `cannot read config file ${file}`, {
      hint: explicit
        ? 'Check the path given to --config.'
        : `Check the permissions of ${CONFIG_FILE_NAME}.`,
      cause: error,
      docsUrl: CONFIG_DOCS,
    });
  }
  return { config: parseConfig(text, file, options.homeDir), file };
}

/** Parses and validates config text; `file` is used for locating problems and relative paths. */
export function parseConfig(text: string, file: string, homeDir: string): QedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return { file, line: pos.line, column: pos.col, key: '(yaml)', message: error.message.split('\n')[0] ?? '' };
  });
  if (problems.length === 0) {
    const value = doc.toJS() ?? {};
    const validate = validator();
    if (!validate(value)) {
      for (const error of validate.errors ?? []) problems.push(locateSchemaError(error, doc, lineCounter, file));
    } else {
      const defaults = defaultQedConfig(homeDir);
      const user = value as Partial<QedConfig>;
      const merged: QedConfig = {
        ...defaults,
        ...user,
        cluster: withDriverName({ ...defaults.cluster, ...user.cluster }),
        registry: { ...defaults.registry, ...user.registry },
      };
      return resolvePaths(merged, path.dirname(file), homeDir);
    }
  }
  throw configInvalid(problems);
}

// Loaded and compiled on first use: most commands never read the config file, and
// ajv is a fifth of a command's start-up when imported eagerly. require() keeps
// parseConfig synchronous (ajv is CommonJS).
let compiled: ReturnType<Ajv['compile']> | undefined;
function validator(): ReturnType<Ajv['compile']> {
  if (!compiled) {
    const { Ajv: AjvClass } = requireAjv();
    compiled = new AjvClass({ allErrors: true, strict: true }).compile(qedConfigSchema);
  }
  return compiled;
}

function configInvalid(problems: ConfigProblem[]): QedError {
  const lines = problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.key}: ${p.message}`);
  const first = lines[0] ?? 'invalid config';
  return new QedError(
    'CONFIG_INVALID',
    problems.length === 1 ? first : `${problems.length} problems in the config:\n  ${lines.join('\n  ')}`,
    {
      hint: `Fix the key named above; every key and its allowed values are listed in ${CONFIG_DOCS}.`,
      docsUrl: CONFIG_DOCS,
      data: { problems },
    },
  );
}

function locateSchemaError(error: ErrorObject, doc: Document, lines: LineCounter, file: string): ConfigProblem {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  let offset = 0;
  let keySegments: Array<string | number> = segments;
  let message = error.message ?? 'is invalid';

  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    keySegments = [...segments, extra];
    const parent = segments.length === 0 ? doc.contents : doc.getIn(segments, true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === extra);
      if (pair && isScalar(pair.key)) offset = pair.key.range?.[0] ?? 0;
    }
    message = `unknown key "${extra}"`;
  } else if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    keySegments = [...segments, missing];
    offset = nodeStart(doc, segments);
    message = `missing required key "${missing}"`;
  } else {
    offset = nodeStart(doc, segments);
    if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      message = `must be one of: ${allowed.join(', ')}`;
    }
  }
  const pos = lines.linePos(offset);
  return { file, line: pos.line, column: pos.col, key: formatKey(keySegments) || '(top level)', message };
}

function nodeStart(doc: Document, segments: Array<string | number>): number {
  const node = segments.length === 0 ? doc.contents : doc.getIn(segments, true);
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range?.[0] ?? 0;
}

function formatKey(segments: Array<string | number>): string {
  return segments.reduce<string>(
    (acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s),
    '',
  );
}

/** minikube's aliases (qemu) become the driver's own name, the one minikube records in a profile. */
function withDriverName(cluster: QedConfig['cluster']): QedConfig['cluster'] {
  const driver = normalizeClusterDriver(cluster.driver);
  return driver && driver !== cluster.driver ? { ...cluster, driver } : cluster;
}

function resolvePaths(config: QedConfig, baseDir: string, homeDir: string): QedConfig {
  const expand = (p: string) => (p === '~' || p.startsWith('~/') ? path.join(homeDir, p.slice(1)) : p);
  return {
    ...config,
    dataRoot: path.resolve(baseDir, expand(config.dataRoot)),
    images: config.images.map((image) => ({
      ...image,
      ...(image.context ? { context: path.resolve(baseDir, expand(image.context)) } : {}),
    })),
  };
}
