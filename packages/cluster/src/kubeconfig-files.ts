import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/** Where kubectl looks for kubeconfig files: KUBECONFIG, else ~/.kube/config. */
export interface KubeconfigSource {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

/** A context as its kubeconfig file writes it, with the extensions tools put there. */
export interface ContextEntry {
  name: string;
  /** The file the entry was read from. */
  file: string;
  /** `provider` of each extension on the context (minikube writes minikube.sigs.k8s.io as context_info). */
  providers: string[];
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
 * The entry of context `name`, from the first file that has one (kubectl merges
 * the files so that the first to set a name wins). Read here with `yaml` rather
 * than @kubernetes/client-node, which drops the extensions and takes long to load.
 * A file that is missing or not a kubeconfig is passed over: the connection to the
 * cluster, made later, is what reports a broken kubeconfig. null: no file names it.
 */
export async function findContextEntry(name: string, source: KubeconfigSource): Promise<ContextEntry | null> {
  for (const file of kubeconfigFiles(source)) {
    const contexts = await readContexts(file);
    const entry = contexts.find((c) => c.name === name);
    if (entry) return entry;
  }
  return null;
}

async function readContexts(file: string): Promise<ContextEntry[]> {
  let document: unknown;
  try {
    document = parse(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
  const contexts = record(document)?.contexts;
  if (!Array.isArray(contexts)) return [];
  return contexts.flatMap((item: unknown): ContextEntry[] => {
    const name = record(item)?.name;
    if (typeof name !== 'string') return [];
    const extensions = record(record(item)?.context)?.extensions;
    const providers = (Array.isArray(extensions) ? extensions : []).flatMap((e: unknown) => {
      const provider = record(record(e)?.extension)?.provider;
      return typeof provider === 'string' ? [provider] : [];
    });
    return [{ name, file, providers }];
  });
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
