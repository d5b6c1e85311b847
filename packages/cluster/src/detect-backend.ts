import type { ClusterConfig, QedConfig } from '@qed/core';
import type { KubeconfigSource } from '@qed/kube';
import { clusterOptionsFrom } from '@qed/minikube';
import { existingContextBackend } from './backends/existing-context.js';
import { MINIKUBE_PROVIDER, madeByMinikube, minikubeBackend } from './backends/minikube.js';
import type { BackendDeps, ClusterAccess, ClusterBackend } from './cluster-backend.js';
import { type ContextEntry, findContextEntry } from './find-context-entry.js';

/**
 * What the cluster is asked to be: `minikube` (--target minikube, `cluster up`)
 * is the profile of the config's cluster section, with the command's flags laid
 * over it, made to match them; `context` (--target context:NAME, `status`,
 * `registry up`) is a kube context that exists.
 */
export type BackendTarget =
  | { kind: 'minikube'; config: QedConfig; flags?: Partial<ClusterConfig> }
  | { kind: 'context'; context: string };

export interface DetectDeps extends BackendDeps, KubeconfigSource {}

/** Who made a context, as far as the kubeconfig tells. */
export interface ContextMaker {
  product: 'minikube';
  /** minikube names the context after its profile. */
  profile: string;
}

/**
 * The one backend for a run or a command. A context is looked up in the
 * kubeconfig: one minikube made (it marks it with its extension) is reached as
 * minikube's, with the context's name as the profile; any other is used as it
 * is. Either way `up` on a context only checks it: --target context:NAME never
 * creates, starts or recreates a cluster.
 */
export async function detectBackend(target: BackendTarget, deps: DetectDeps): Promise<ClusterBackend> {
  if (target.kind === 'minikube') return minikubeBackend(deps, clusterOptionsFrom(target.config, target.flags));
  const maker = recogniseContext(await findContextEntry(target.context, deps));
  const madeBy = maker ? accessOf(maker, deps) : undefined;
  return existingContextBackend(deps, { context: target.context, ...(madeBy ? { madeBy } : {}) });
}

/**
 * The product that wrote a kubeconfig context. minikube puts an extension with
 * provider minikube.sigs.k8s.io on it (context_info). kind and k3d write none: a
 * backend for them would recognise their context names (kind-NAME, k3d-NAME) here.
 */
export function recogniseContext(entry: ContextEntry | null): ContextMaker | null {
  if (entry?.providers.includes(MINIKUBE_PROVIDER)) return { product: 'minikube', profile: entry.name };
  return null;
}

function accessOf(maker: ContextMaker, deps: DetectDeps): ClusterAccess {
  switch (maker.product) {
    case 'minikube':
      return madeByMinikube(deps.runner, maker.profile);
  }
}
