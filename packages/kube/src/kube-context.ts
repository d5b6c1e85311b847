import { QedError } from '@qed/core';
import type { KubeconfigEntry, MergedKubeconfig } from './kubeconfig-files.js';

/** One context of the merged kubeconfig, with its cluster and user, as kubectl would use it. */
export interface KubeContext {
  name: string;
  /** The namespace the context names, when it names one. */
  namespace: string | undefined;
  server: string;
  cluster: KubeconfigEntry;
  /** Undefined when the context names no user: requests go without credentials. */
  user: KubeconfigEntry | undefined;
}

/** The context `name` (--context), else the current one; CLUSTER_NO_CONTEXT or CLUSTER_KUBECONFIG when it cannot be used. */
export function selectContext(kubeconfig: MergedKubeconfig, name: string | undefined): KubeContext {
  const known = `Known contexts: ${[...kubeconfig.contexts.keys()].join(', ') || 'none'}.`;
  const where = kubeconfig.files.length > 0 ? kubeconfig.files.join(', ') : 'no kubeconfig file exists';
  const wanted = name ?? kubeconfig.currentContext;
  if (wanted === undefined) {
    throw new QedError('CLUSTER_NO_CONTEXT', `the kubeconfig has no current context (${where})`, {
      hint: `Choose one with --context NAME, or \`kubectl config use-context NAME\`; or create a cluster first (\`qed-bootstrap cluster up\`). ${known}`,
    });
  }
  const context = kubeconfig.contexts.get(wanted);
  if (!context) {
    const message = name === undefined ? `the current context ${wanted} is not in the kubeconfig (${where})` : `no context named ${wanted} in the kubeconfig`;
    throw new QedError('CLUSTER_NO_CONTEXT', message, { hint: known });
  }
  const clusterName = stringField(context, 'cluster');
  const cluster = clusterName === undefined ? undefined : kubeconfig.clusters.get(clusterName);
  if (!cluster) {
    throw invalid(context, clusterName === undefined ? `context ${wanted} names no cluster` : `context ${wanted} names cluster ${clusterName}, which no kubeconfig file has`);
  }
  const userName = stringField(context, 'user');
  const user = userName === undefined ? undefined : kubeconfig.users.get(userName);
  if (userName !== undefined && !user) throw invalid(context, `context ${wanted} names user ${userName}, which no kubeconfig file has`);
  const server = stringField(cluster, 'server');
  if (server === undefined) throw invalid(cluster, `cluster ${cluster.name} has no server`);
  // kubectl takes a bare host:port as an HTTPS address.
  return { name: wanted, namespace: stringField(context, 'namespace'), server: server.includes('://') ? server : `https://${server}`, cluster, user };
}

/**
 * Why the context's credentials need @kubernetes/client-node, or null when they are
 * certificates, tokens or a password, which context-credentials.ts works out itself.
 */
export function clientNodeReason(context: KubeContext): string | null {
  const user = context.user?.fields ?? {};
  if (user.exec !== undefined && user.exec !== null) return `user ${context.user?.name} gets its credential from an exec plugin`;
  if (user['auth-provider'] !== undefined && user['auth-provider'] !== null) return `user ${context.user?.name} gets its credential from an auth-provider`;
  // Not implemented here: these go to client-node, as every user did before, so that
  // nothing changes for them. (Nor are they honoured there: client-node sends only
  // Impersonate-User, and HttpsKubeApi makes its own agents, without client-node's
  // proxy agent. A proxy or group impersonation would need work in either path.)
  for (const key of ['as-groups', 'as-uid', 'as-user-extra']) if (user[key] !== undefined) return `user ${context.user?.name} sets ${key}`;
  if (context.cluster.fields['proxy-url'] !== undefined) return `cluster ${context.cluster.name} is reached through a proxy (proxy-url)`;
  return null;
}

/** The string field `key` of an entry; undefined when absent or empty, CLUSTER_KUBECONFIG when it is not a string. */
export function stringField(entry: KubeconfigEntry, key: string): string | undefined {
  const value = entry.fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(entry, `${entry.name}: ${key} is not a string`);
  return value;
}

/** The boolean field `key`; false when absent. */
export function booleanField(entry: KubeconfigEntry, key: string): boolean {
  const value = entry.fields[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalid(entry, `${entry.name}: ${key} is not true or false`);
  return value;
}

export function invalid(entry: KubeconfigEntry, reason: string): QedError {
  return new QedError('CLUSTER_KUBECONFIG', `cannot use the kubeconfig ${entry.file}: ${reason}`, {
    hint: `Fix ${entry.file} (\`kubectl config view\` shows what kubectl makes of it), or choose another context with --context NAME.`,
    data: { file: entry.file },
  });
}
