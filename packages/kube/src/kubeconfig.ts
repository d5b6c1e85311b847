import type https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { QedError } from '@qed/core';
import { type ClusterConnection, HttpsKubeApi, type TransportOptions, transportFromHttpsOptions } from './kube-api.js';

export interface ConnectOptions {
  kubeconfig?: string;
  context?: string;
}

/**
 * @kubernetes/client-node is imported when a cluster is first needed, not with this
 * package: it is hundreds of modules, and commands that never talk to a cluster
 * (render, migrate, an offline validate) should not pay for it.
 */
async function newKubeConfig(): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  return new KubeConfig();
}

/** Loads the kubeconfig (KUBECONFIG or ~/.kube/config, or the file given) and selects the context. */
export async function loadKubeConfig(options: ConnectOptions): Promise<KubeConfig> {
  const kc = await newKubeConfig();
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new QedError('CLUSTER_KUBECONFIG', `cannot read the kubeconfig: ${(error as Error).message}`, {
      hint: 'Check KUBECONFIG, or create a cluster first (`minikube start`).',
      cause: error,
    });
  }
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context)) {
      throw new QedError('CLUSTER_NO_CONTEXT', `no context named ${options.context} in the kubeconfig`, {
        hint: `Known contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}.`,
      });
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new QedError('CLUSTER_NO_CONTEXT', 'the kubeconfig has no current cluster', {
      hint: 'Choose one with --context NAME, or `kubectl config use-context NAME`.',
    });
  }
  return kc;
}

/** The transport of a loaded kubeconfig's current context, as plain data. */
async function kubeConfigTransport(kc: KubeConfig): Promise<TransportOptions> {
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  return transportFromHttpsOptions(kc.getCurrentCluster()?.server ?? '', options);
}

/** Connects to the current (or the given) context; credentials are worked out again before each request. */
export async function connectCluster(options: ConnectOptions = {}): Promise<ClusterConnection<HttpsKubeApi>> {
  const kc = await loadKubeConfig(options);
  const server = kc.getCurrentCluster()?.server ?? '';
  const context = kc.getCurrentContext();
  const api = new HttpsKubeApi(() => kubeConfigTransport(kc), server);
  return { api, context, server, contextNamespace: kc.getContextObject(context)?.namespace };
}
