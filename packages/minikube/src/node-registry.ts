import { readRegistryEndpoint } from '@qed/core';
import { nodeIsHost } from './driver-traits.js';

/**
 * The name minikube gives this machine inside a VM or a node container (in the
 * node's /etc/hosts and CoreDNS): 127.0.0.1 there is the node itself.
 */
export const HOST_ALIAS = 'host.minikube.internal';

/**
 * HOST:PORT at which the node's container runtime reaches the local registry
 * that this machine pushes to at `registryHost`. On `none` the node is this
 * machine, so it is the same address; elsewhere it is this machine's alias with
 * the registry's port. A null driver (no such profile) gets the answer for a VM
 * or a node container, minikube's usual case.
 */
export function nodeRegistryHost(driver: string | null, registryHost: string): string {
  if (driver !== null && nodeIsHost(driver)) return registryHost;
  const port = readRegistryEndpoint(registryHost)?.port;
  return port ? `${HOST_ALIAS}:${port}` : HOST_ALIAS;
}

/** The node's half of KEP-1755's local-registry-hosting: how the cluster reaches the registry. */
export interface NodeRegistryHosting {
  /** What image names in pod specs use: where the node's runtime pulls from. */
  hostFromContainerRuntime: string;
  /** Where pods reach the registry; absent when it cannot be reached from the pod network. */
  hostFromClusterNetwork?: string;
}

/**
 * How a minikube cluster made with `driver` reaches the local registry. With a
 * VM or a node container, minikube puts host.minikube.internal into CoreDNS as
 * well, so pods reach it by the same name. On `none` the runtime pulls from this
 * machine's loopback, which no pod can reach (127.0.0.1 in a pod is the pod), so
 * no cluster-network address is claimed.
 */
export function minikubeRegistryHosting(driver: string | null, registryHost: string): NodeRegistryHosting {
  const inNode = nodeRegistryHost(driver, registryHost);
  return driver !== null && nodeIsHost(driver) ? { hostFromContainerRuntime: inNode } : { hostFromContainerRuntime: inNode, hostFromClusterNetwork: inNode };
}
