/**
 * API versions that current Kubernetes no longer serves, and the release that
 * removed them: manifests written against them (as the original QED manifests
 * were) must be migrated, not applied.
 */
const REMOVED: Array<[apiVersion: string, kinds: string[] | '*', removedIn: string, replacement: string]> = [
  ['extensions/v1beta1', ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'], '1.16', 'apps/v1'],
  ['extensions/v1beta1', ['NetworkPolicy'], '1.16', 'networking.k8s.io/v1'],
  ['extensions/v1beta1', ['Ingress'], '1.22', 'networking.k8s.io/v1'],
  ['extensions/v1beta1', ['PodSecurityPolicy'], '1.16', 'Pod Security Admission'],
  ['apps/v1beta1', '*', '1.16', 'apps/v1'],
  ['apps/v1beta2', '*', '1.16', 'apps/v1'],
  ['networking.k8s.io/v1beta1', '*', '1.22', 'networking.k8s.io/v1'],
  ['autoscaling/v2beta1', '*', '1.25', 'autoscaling/v2'],
  ['autoscaling/v2beta2', '*', '1.26', 'autoscaling/v2'],
  ['batch/v1beta1', '*', '1.25', 'batch/v1'],
  ['policy/v1beta1', '*', '1.25', 'policy/v1'],
  ['rbac.authorization.k8s.io/v1beta1', '*', '1.22', 'rbac.authorization.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', ['StorageClass', 'VolumeAttachment', 'CSIDriver', 'CSINode'], '1.22', 'storage.k8s.io/v1'],
  ['apiextensions.k8s.io/v1beta1', '*', '1.22', 'apiextensions.k8s.io/v1'],
  ['admissionregistration.k8s.io/v1beta1', '*', '1.22', 'admissionregistration.k8s.io/v1'],
  ['scheduling.k8s.io/v1beta1', '*', '1.22', 'scheduling.k8s.io/v1'],
  ['coordination.k8s.io/v1beta1', '*', '1.22', 'coordination.k8s.io/v1'],
];

export interface RemovedApi {
  removedIn: string;
  replacement: string;
}

export function removedApi(apiVersion: string, kind: string): RemovedApi | null {
  const hit = REMOVED.find(([version, kinds]) => version === apiVersion && (kinds === '*' || kinds.includes(kind)));
  return hit ? { removedIn: hit[2], replacement: hit[3] } : null;
}
