import { type Discovery, type KubeApi, resourcePath } from '@qed/kube';
import { type KubeObject, LABEL_MANAGED_BY, MANAGED_BY } from '../kube-object.js';
import { readinessOf } from '../wait/readiness.js';

export interface WorkloadStatus {
  kind: string;
  name: string;
  ready: boolean;
  summary: string;
  images: string[];
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface ServiceStatus {
  name: string;
  type: string;
  clusterIP?: string;
  ports: ServicePort[];
  /** How to reach it from the developer's machine. */
  reach: string[];
}

export interface ClaimStatus {
  name: string;
  phase: string;
  volume?: string;
}

export interface StackStatus {
  namespace: string;
  workloads: WorkloadStatus[];
  services: ServiceStatus[];
  claims: ClaimStatus[];
  ready: boolean;
}

interface Live extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    ports?: ServicePort[];
    volumeName?: string;
    template?: { spec?: { containers?: Array<{ image: string }> } };
  };
  status?: { phase?: string };
}

/** What qed-bootstrap deployed in a namespace, read from the cluster. */
export interface ReadStatusOptions {
  /**
   * The cluster backend's way to a Service from this machine (minikube: `minikube
   * service` for a NodePort or LoadBalancer); null, or absent, is a port-forward.
   */
  serviceAccess?: (service: { namespace: string; name: string; type: string }) => string[] | null;
}

export async function readStatus(api: KubeApi, discovery: Discovery, namespace: string, options: ReadStatusOptions = {}): Promise<StackStatus> {
  const list = async (apiVersion: string, kind: string): Promise<Live[]> => {
    const info = await discovery.require({ apiVersion, kind });
    const result = await api.request<{ items: Live[] }>({
      method: 'GET',
      path: resourcePath(apiVersion, info, namespace),
      query: { labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY}` },
    });
    return result.items.map((item) => ({ ...item, apiVersion, kind }));
  };
  const [deployments, statefulSets, services, claims] = await Promise.all([
    list('apps/v1', 'Deployment'),
    list('apps/v1', 'StatefulSet'),
    list('v1', 'Service'),
    list('v1', 'PersistentVolumeClaim'),
  ]);
  const workloads = [...deployments, ...statefulSets]
    .map((w) => {
      const state = readinessOf(w);
      return {
        kind: w.kind,
        name: w.metadata.name,
        ready: state.ready,
        summary: state.summary,
        images: (w.spec?.template?.spec?.containers ?? []).map((c) => c.image),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  // One set for the whole listing, so the suggested port-forwards can all run at once.
  const localPorts = new Set<number>();
  const serviceStatus = [...services]
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map((s) => {
      const type = s.spec?.type ?? 'ClusterIP';
      const ports = s.spec?.ports ?? [];
      return {
        name: s.metadata.name,
        type,
        ...(s.spec?.clusterIP ? { clusterIP: s.spec.clusterIP } : {}),
        ports,
        reach: options.serviceAccess?.({ namespace, name: s.metadata.name, type }) ?? portForwards(namespace, s.metadata.name, ports, localPorts),
      };
    });
  const claimStatus = claims
    .map((c) => ({ name: c.metadata.name, phase: c.status?.phase ?? 'Pending', ...(c.spec?.volumeName ? { volume: c.spec.volumeName } : {}) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    namespace,
    workloads,
    services: serviceStatus,
    claims: claimStatus,
    ready: workloads.every((w) => w.ready) && claimStatus.every((c) => c.phase === 'Bound'),
  };
}

/** A service is reached through a port-forward, unless its backend knows a better way. */
function portForwards(namespace: string, name: string, ports: ServicePort[], taken: Set<number>): string[] {
  // Privileged local ports need root, so 80 and 443 are forwarded from 8080 / 8443;
  // a local port already suggested for another service moves up to the next free one.
  return ports.map((p) => {
    let local = p.port < 1024 ? p.port + 8000 : p.port;
    while (taken.has(local)) local++;
    taken.add(local);
    return `kubectl port-forward -n ${namespace} svc/${name} ${local}:${p.port}`;
  });
}
