import { access, readFile } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import path from 'node:path';
import type { KubeContext } from './kube-context.js';

/** Where Kubernetes mounts a pod's service account. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Inside a pod, with no kubeconfig, kubectl talks to the cluster the pod runs in as
 * its service account: the API server from KUBERNETES_SERVICE_HOST and _PORT, the
 * CA and the token from the mounted files (the token is rotated, so it is read
 * again for each request like any token file). Null outside a pod.
 */
export async function inClusterContext(env: Readonly<Record<string, string | undefined>>, dir = SERVICE_ACCOUNT_DIR): Promise<KubeContext | null> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const token = path.join(dir, 'token');
  if (!host || !port || !(await access(token).then(() => true, () => false))) return null;
  const namespace = await readFile(path.join(dir, 'namespace'), 'utf8').then((text) => text.trim() || undefined, () => undefined);
  const name = 'in-cluster';
  return {
    name,
    namespace,
    server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    cluster: { name, file: dir, fields: { 'certificate-authority': path.join(dir, 'ca.crt') } },
    user: { name, file: dir, fields: { tokenFile: token } },
  };
}
