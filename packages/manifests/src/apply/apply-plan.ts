import { type KubeObject, LABEL_MANAGED_BY, MANAGED_BY } from '../kube-object.js';

/**
 * The order objects reach the cluster in: what others refer to comes first (the
 * namespace before what lives in it, claims and secrets before the pods that mount
 * them, services before the workloads whose environment names them). Objects of
 * one tier do not depend on each other and are applied concurrently.
 */
export const APPLY_TIERS: ReadonlyArray<{ name: string; kinds: readonly string[] }> = [
  { name: 'namespaces', kinds: ['Namespace', 'CustomResourceDefinition', 'PriorityClass'] },
  { name: 'storage', kinds: ['StorageClass', 'PersistentVolume', 'PersistentVolumeClaim'] },
  {
    name: 'config',
    kinds: ['ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'LimitRange', 'ResourceQuota'],
  },
  { name: 'services', kinds: ['Service'] },
  {
    name: 'workloads',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress', 'NetworkPolicy'],
  },
];
const OTHER_TIER = 'other';

export interface ApplyTier {
  name: string;
  objects: KubeObject[];
}

export interface ApplyPlan {
  namespace: string;
  tiers: ApplyTier[];
}

/**
 * Groups objects into tiers and marks each as ours (the managed-by label that
 * prune, status and teardown select on). Pure: no cluster needed, so --dry-run
 * can print it.
 */
export function planApply(objects: readonly KubeObject[], namespace: string): ApplyPlan {
  const tiers: ApplyTier[] = [...APPLY_TIERS.map((t) => ({ name: t.name, objects: [] as KubeObject[] })), { name: OTHER_TIER, objects: [] }];
  for (const object of objects) {
    const index = APPLY_TIERS.findIndex((t) => t.kinds.includes(object.kind));
    const tier = tiers[index < 0 ? tiers.length - 1 : index];
    tier?.objects.push(markManaged(object));
  }
  return { namespace, tiers: tiers.filter((t) => t.objects.length > 0) };
}

function markManaged(object: KubeObject): KubeObject {
  if (object.metadata.labels?.[LABEL_MANAGED_BY] === MANAGED_BY) return object;
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, [LABEL_MANAGED_BY]: MANAGED_BY } } };
}

/** Identity of an object within a cluster: kind, namespace and name (group ignored: kinds do not collide here). */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}
