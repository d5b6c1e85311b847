import { Discovery, type KubeApi } from '@qed/kube';
import { type KubeObject, LABEL_MANAGED_BY, MANAGED_BY, serverSideApply } from '@qed/manifests';

/**
 * KEP-1755 "Communicating a local registry": tools (Tilt, Skaffold, ctlptl…) read
 * the ConfigMap kube-public/local-registry-hosting to learn where to push images
 * and what name the cluster pulls them by. How a cluster's nodes reach the
 * registry is the cluster backend's knowledge (@qed/cluster's
 * ClusterBackend.registryHosting); this module only writes the ConfigMap.
 */
export interface LocalRegistryHostingOptions {
  /** host:port to push to from the developer's machine, e.g. 127.0.0.1:5000. */
  hostFromHost: string;
  /** host:port pods and the cluster network reach the registry at. */
  hostFromClusterNetwork?: string;
  /** host:port the node's container runtime pulls from (image names in pod specs). */
  hostFromContainerRuntime?: string;
  /** A page that explains the setup. */
  help?: string;
}

export const LOCAL_REGISTRY_HOSTING_NAME = 'local-registry-hosting';
export const LOCAL_REGISTRY_HOSTING_NAMESPACE = 'kube-public';
export const LOCAL_REGISTRY_HOSTING_KEY = 'localRegistryHosting.v1';
export const LOCAL_REGISTRY_HOSTING_HELP =
  'https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry';

export function localRegistryHostingConfigMap(options: LocalRegistryHostingOptions): KubeObject {
  // JSON strings are valid YAML scalars: no YAML library, and host:port values
  // cannot be misread. Fixed key order keeps the data stable, so a second apply
  // changes nothing.
  const fields: Array<[string, string | undefined]> = [
    ['host', options.hostFromHost],
    ['hostFromContainerRuntime', options.hostFromContainerRuntime],
    ['hostFromClusterNetwork', options.hostFromClusterNetwork],
    ['help', options.help],
  ];
  const yaml = fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}\n`)
    .join('');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: LOCAL_REGISTRY_HOSTING_NAME,
      namespace: LOCAL_REGISTRY_HOSTING_NAMESPACE,
      labels: { [LABEL_MANAGED_BY]: MANAGED_BY },
    },
    data: { [LOCAL_REGISTRY_HOSTING_KEY]: yaml },
  };
}

/** Server-side applies the ConfigMap; returns the object as the server stored it. */
export async function publishLocalRegistryHosting(
  api: KubeApi,
  options: LocalRegistryHostingOptions,
): Promise<KubeObject> {
  return serverSideApply({ api, discovery: new Discovery(api) }, localRegistryHostingConfigMap(options));
}
