import { type KubeconfigSource, kubeconfigFiles, mergeKubeconfigs, readKubeconfigFile } from '@qed/kube';

/** A context as its kubeconfig file writes it, with the extensions tools put there. */
export interface ContextEntry {
  name: string;
  /** The file the entry was read from. */
  file: string;
  /** `provider` of each extension on the context (minikube writes minikube.sigs.k8s.io as context_info). */
  providers: string[];
}

/**
 * The entry of context `name`, from the first file that has one, as kubectl merges
 * the files (@qed/kube's reading, which keeps the extensions @kubernetes/client-node
 * drops). A file that is missing or not a kubeconfig is passed over: the connection
 * to the cluster, made later, is what reports a broken kubeconfig. null: no file
 * names it.
 */
export async function findContextEntry(name: string, source: KubeconfigSource): Promise<ContextEntry | null> {
  const files = await Promise.all(kubeconfigFiles(source).map((file) => readKubeconfigFile(file).catch(() => null)));
  const entry = mergeKubeconfigs(files).contexts.get(name);
  if (!entry) return null;
  const extensions = entry.fields.extensions;
  const providers = (Array.isArray(extensions) ? extensions : []).flatMap((e: unknown) => {
    const provider = record(record(e)?.extension)?.provider;
    return typeof provider === 'string' ? [provider] : [];
  });
  return { name, file: entry.file, providers };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
