import { describe, expect, it } from 'vitest';
import { LOCAL_REGISTRY_HOSTING_HELP, localRegistryHostingConfigMap } from './local-registry-hosting.js';

describe('localRegistryHostingConfigMap', () => {
  it('is the KEP-1755 ConfigMap with minikube host names', () => {
    const hosting = {
      hostFromHost: '127.0.0.1:5001',
      hostFromContainerRuntime: 'host.minikube.internal:5001',
      hostFromClusterNetwork: 'host.minikube.internal:5001',
      help: LOCAL_REGISTRY_HOSTING_HELP,
    };
    expect(localRegistryHostingConfigMap(hosting)).toMatchInlineSnapshot(`
      {
        "apiVersion": "v1",
        "data": {
          "localRegistryHosting.v1": "host: "127.0.0.1:5001"
      hostFromContainerRuntime: "host.minikube.internal:5001"
      hostFromClusterNetwork: "host.minikube.internal:5001"
      help: "https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry"
      ",
        },
        "kind": "ConfigMap",
        "metadata": {
          "labels": {
            "app.kubernetes.io/managed-by": "qed-bootstrap",
          },
          "name": "local-registry-hosting",
          "namespace": "kube-public",
        },
      }
    `);
  });

  it('leaves out the fields not given', () => {
    expect(localRegistryHostingConfigMap({ hostFromHost: '127.0.0.1:5000' }).data).toEqual({
      'localRegistryHosting.v1': 'host: "127.0.0.1:5000"\n',
    });
  });
});
