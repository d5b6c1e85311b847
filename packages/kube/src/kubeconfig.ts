import type https from 'node:https';
import os from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { QedError } from '@qed/core';
import { credentialsTransport } from './context-credentials.js';
import { inClusterContext } from './in-cluster-context.js';
import { type ClusterConnection, HttpsKubeApi, type TransportOptions, transportFromHttpsOptions } from './kube-api.js';
import { clientNodeReason, type KubeContext, selectContext } from './kube-context.js';
import { type KubeconfigSource, kubeconfigFiles, mergeKubeconfigs, readKubeconfigFile } from './kubeconfig-files.js';

export interface ConnectOptions {
  /** This one file instead of KUBECONFIG or ~/.kube/config; it must exist. */
  kubeconfig?: string;
  /** This context instead of the current one. */
  context?: string;
  /** Where KUBECONFIG and the home folder are read from; default this process's. */
  source?: KubeconfigSource;
}

/** A context of the kubeconfig, ready to connect to. */
export interface LoadedKubeConfig {
  /** Every context the kubeconfig has, in the order of its files. */
  contexts: string[];
  /** The context chosen: --context, else the current one. */
  context: string;
  server: string;
  /** The namespace the context names, when it names one. */
  namespace: string | undefined;
  /** Why @kubernetes/client-node works out the credentials (an exec plugin, …); undefined when they are our own reading's. */
  clientNode: string | undefined;
  /** TLS and credentials, worked out again on each call (files re-read, plugins asked when due). */
  transport(): Promise<TransportOptions>;
}

/**
 * Reads the kubeconfig as kubectl does (each file of KUBECONFIG merged, else
 * ~/.kube/config; or the one file given) and chooses the context. Certificates,
 * tokens and passwords are worked out here; only a user that needs a program run or
 * a provider asked (exec, auth-provider) loads @kubernetes/client-node: it is hundreds
 * of modules, half a second or more of a short command's start-up.
 */
export async function loadKubeConfig(options: ConnectOptions = {}): Promise<LoadedKubeConfig> {
  const source = options.source ?? { env: process.env, homeDir: os.homedir() };
  const files = options.kubeconfig === undefined ? kubeconfigFiles(source) : [options.kubeconfig];
  const kubeconfig = mergeKubeconfigs(await Promise.all(files.map((file) => readKubeconfigFile(file))));
  if (kubeconfig.files.length === 0) {
    if (options.kubeconfig !== undefined) {
      throw new QedError('CLUSTER_KUBECONFIG', `cannot read the kubeconfig ${options.kubeconfig}: it does not exist`, {
        hint: 'Check the path of the kubeconfig given.',
      });
    }
    // In a pod, with no kubeconfig, kubectl uses the pod's service account.
    const inCluster = await inClusterContext(source.env);
    if (inCluster && (options.context === undefined || options.context === inCluster.name)) return loaded([inCluster.name], inCluster);
    if (options.context === undefined) {
      throw new QedError('CLUSTER_KUBECONFIG', `no kubeconfig: ${files.join(', ')} ${files.length > 1 ? 'do' : 'does'} not exist`, {
        hint: 'Create a cluster first (`qed-bootstrap cluster up`, or `minikube start`), or point KUBECONFIG at the kubeconfig of one.',
      });
    }
  }
  const context = selectContext(kubeconfig, options.context);
  return loaded([...kubeconfig.contexts.keys()], context);
}

function loaded(contexts: string[], context: KubeContext): LoadedKubeConfig {
  const reason = clientNodeReason(context);
  return {
    contexts,
    context: context.name,
    server: context.server,
    namespace: context.namespace,
    clientNode: reason ?? undefined,
    transport: reason === null ? credentialsTransport(context) : clientNodeTransport(context),
  };
}

/**
 * exec plugins (and the auth-providers before them) are programs to run and
 * credentials to cache until they expire: @kubernetes/client-node does that, and is
 * imported only for such a user. It is given the one context our reading chose, with
 * its paths already absolute, so both agree on which cluster and user that is (its
 * own merge of KUBECONFIG refuses a name that two files share, where kubectl takes
 * the first).
 */
function clientNodeTransport(context: KubeContext): () => Promise<TransportOptions> {
  let config: Promise<KubeConfig> | undefined;
  return async () => {
    config ??= clientNodeConfig(context);
    const options: https.RequestOptions = {};
    await (await config).applyToHTTPSOptions(options);
    return transportFromHttpsOptions(context.server, options);
  };
}

async function clientNodeConfig(context: KubeContext): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { cluster, user } = context;
  const config = new KubeConfig();
  // JSON is YAML: the entries go in as their files wrote them, for client-node to read its own way.
  config.loadFromString(
    JSON.stringify({
      clusters: [{ name: cluster.name, cluster: { ...cluster.fields, server: context.server } }],
      users: user ? [{ name: user.name, user: user.fields }] : [],
      contexts: [{ name: context.name, context: { cluster: cluster.name, user: user?.name, namespace: context.namespace } }],
      'current-context': context.name,
    }),
  );
  return config;
}

/** Connects to the current (or the given) context; credentials are worked out again before each request. */
export async function connectCluster(options: ConnectOptions = {}): Promise<ClusterConnection<HttpsKubeApi>> {
  const kubeconfig = await loadKubeConfig(options);
  const api = new HttpsKubeApi(() => kubeconfig.transport(), kubeconfig.server);
  return { api, context: kubeconfig.context, server: kubeconfig.server, contextNamespace: kubeconfig.namespace };
}
