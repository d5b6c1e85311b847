import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { QedError } from '@qed/core';
import { type Document, LineCounter, parseDocument } from 'yaml';

/** Where kubectl looks for kubeconfig files: KUBECONFIG, else ~/.kube/config. */
export interface KubeconfigSource {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

/** A named cluster, user or context as its file writes it. */
export interface KubeconfigEntry {
  name: string;
  /** The file the entry was read from. */
  file: string;
  /** Its `cluster:`, `user:` or `context:` map, relative file paths made absolute. */
  fields: Record<string, unknown>;
}

/** One kubeconfig file, read. */
export interface KubeconfigFile {
  file: string;
  clusters: KubeconfigEntry[];
  users: KubeconfigEntry[];
  contexts: KubeconfigEntry[];
  currentContext: string | undefined;
}

/** The files merged as kubectl merges them. */
export interface MergedKubeconfig {
  /** The files that exist, in order. */
  files: string[];
  clusters: Map<string, KubeconfigEntry>;
  users: Map<string, KubeconfigEntry>;
  contexts: Map<string, KubeconfigEntry>;
  currentContext: string | undefined;
}

/**
 * The files in kubectl's order: each entry of KUBECONFIG (separated as PATH is on
 * this OS), or ~/.kube/config when KUBECONFIG is unset or empty.
 */
export function kubeconfigFiles(source: KubeconfigSource, delimiter: string = path.delimiter): string[] {
  const listed = (source.env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
  return listed.length > 0 ? listed : [path.join(source.homeDir, '.kube', 'config')];
}

/**
 * kubectl merges the files so that the first to name a cluster, user or context
 * wins (the whole entry, not field by field), and the first to set current-context
 * wins. A file that does not exist is null, and passed over.
 */
export function mergeKubeconfigs(files: ReadonlyArray<KubeconfigFile | null>): MergedKubeconfig {
  const merged: MergedKubeconfig = { files: [], clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: undefined };
  for (const file of files) {
    if (!file) continue;
    merged.files.push(file.file);
    for (const kind of ['clusters', 'users', 'contexts'] as const) {
      for (const entry of file[kind]) if (!merged[kind].has(entry.name)) merged[kind].set(entry.name, entry);
    }
    merged.currentContext ??= file.currentContext;
  }
  return merged;
}

/** Reads one kubeconfig file; null when it does not exist. A file that cannot be read or is not a kubeconfig is CLUSTER_KUBECONFIG. */
export async function readKubeconfigFile(file: string): Promise<KubeconfigFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new QedError('CLUSTER_KUBECONFIG', `cannot read the kubeconfig ${file}: ${(error as Error).message}`, {
      hint: 'Check the file and its permissions, or point KUBECONFIG at another one.',
      cause: error,
    });
  }
  return parseKubeconfig(text, file);
}

/** Fields that name files, which kubectl reads relative to the kubeconfig that names them. */
const PATH_FIELDS = { clusters: ['certificate-authority'], users: ['client-certificate', 'client-key', 'tokenFile'] } as const;
const ENTRY_KEYS = { clusters: 'cluster', users: 'user', contexts: 'context' } as const;

/** Parses kubeconfig text; `file` names it in errors and anchors its relative paths. */
export function parseKubeconfig(text: string, file: string): KubeconfigFile {
  const lineCounter = new LineCounter();
  // kubectl reads YAML 1.1 (sigs.k8s.io/yaml over go-yaml v2): `yes` is true there.
  const doc = parseDocument(text, { version: '1.1', lineCounter, prettyErrors: false });
  const [error] = doc.errors;
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw notAKubeconfig(file, `line ${line}, column ${col}: ${error.message.split('\n')[0]}`, { line, column: col });
  }
  const root = plainValue(doc, file);
  if (!isRecord(root)) throw notAKubeconfig(file, 'it is not a YAML mapping (clusters, users, contexts)');
  const dir = path.dirname(path.resolve(file));
  const list = (kind: keyof typeof ENTRY_KEYS): KubeconfigEntry[] => {
    const items = root[kind] ?? [];
    if (!Array.isArray(items)) throw notAKubeconfig(file, `${kind} is not a list`);
    const seen = new Set<string>();
    return items.flatMap((item: unknown, index): KubeconfigEntry[] => {
      if (!isRecord(item)) throw notAKubeconfig(file, `${kind}[${index}] is not a mapping`);
      if (typeof item.name !== 'string') return [];
      // kubectl refuses a file that names one cluster (user, context) twice.
      if (seen.has(item.name)) throw notAKubeconfig(file, `${kind} names ${item.name} twice`);
      seen.add(item.name);
      const fields = item[ENTRY_KEYS[kind]] ?? {};
      if (!isRecord(fields)) throw notAKubeconfig(file, `${kind}[${index}] (${item.name}): ${ENTRY_KEYS[kind]} is not a mapping`);
      return [{ name: item.name, file, fields: kind === 'contexts' ? fields : resolvePaths(fields, PATH_FIELDS[kind], dir) }];
    });
  };
  const current = root['current-context'];
  return {
    file,
    clusters: list('clusters'),
    users: list('users'),
    contexts: list('contexts'),
    currentContext: typeof current === 'string' && current !== '' ? current : undefined,
  };
}

function plainValue(doc: Document, file: string): unknown {
  try {
    return doc.toJS() ?? {};
  } catch (caught) {
    // Aliases beyond the `yaml` package's limit (a "billion laughs" file).
    throw notAKubeconfig(file, (caught as Error).message);
  }
}

function resolvePaths(fields: Record<string, unknown>, keys: readonly string[], dir: string): Record<string, unknown> {
  const resolved = { ...fields };
  for (const key of keys) {
    const value = resolved[key];
    if (typeof value === 'string' && value !== '') resolved[key] = path.resolve(dir, value);
  }
  // An exec plugin given as a path (./bin/auth, not a bare name looked up on PATH) is relative to the file too.
  const exec = resolved.exec;
  if (isRecord(exec) && typeof exec.command === 'string' && /[\\/]/.test(exec.command)) {
    resolved.exec = { ...exec, command: path.resolve(dir, exec.command) };
  }
  return resolved;
}

function notAKubeconfig(file: string, reason: string, where: { line: number; column: number } | undefined = undefined): QedError {
  return new QedError('CLUSTER_KUBECONFIG', `cannot read the kubeconfig ${file}: ${reason}`, {
    hint: `Fix ${file} (\`kubectl config view\` shows how kubectl reads it), or point KUBECONFIG at another kubeconfig.`,
    data: { file, ...where },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
