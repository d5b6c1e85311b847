/**
 * API versions that current Kubernetes no longer serves, per kind: the release
 * that removed each, what replaced it, and whether `manifests migrate` rewrites
 * it. The one table validate (which refuses these) and migrate (which upgrades
 * or flags them) both read. Every entry is from Kubernetes' Deprecated API
 * Migration Guide (DEPRECATION_GUIDE), section "Removed APIs by release".
 *
 * Kept per kind, never per group version: several of these group versions serve
 * again with new kinds (admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy,
 * networking.k8s.io/v1beta1 ServiceCIDR, storage.k8s.io/v1beta1 VolumeAttributesClass).
 */
export const DEPRECATION_GUIDE = 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/';

export interface RemovedApi {
  apiVersion: string;
  kind: string;
  /** The Kubernetes minor release that stopped serving it. */
  removedIn: string;
  /** The apiVersion to use instead; null when the kind went with no replacement object. */
  replacement: string | null;
  /** Whether `manifests migrate` rewrites it; otherwise migrate leaves it, with a warning. */
  migrated: boolean;
}

type Row = [apiVersions: string[], kinds: string[], removedIn: string, replacement: string | null, migrated: boolean];

const ROWS: Row[] = [
  // v1.16
  [['extensions/v1beta1'], ['NetworkPolicy'], '1.16', 'networking.k8s.io/v1', true],
  [['extensions/v1beta1'], ['PodSecurityPolicy'], '1.16', null, false],
  [['extensions/v1beta1', 'apps/v1beta2'], ['DaemonSet'], '1.16', 'apps/v1', true],
  [['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'], ['Deployment', 'ReplicaSet'], '1.16', 'apps/v1', true],
  [['apps/v1beta1', 'apps/v1beta2'], ['StatefulSet'], '1.16', 'apps/v1', true],
  // v1.22
  [['admissionregistration.k8s.io/v1beta1'], ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], '1.22', 'admissionregistration.k8s.io/v1', false],
  [['apiextensions.k8s.io/v1beta1'], ['CustomResourceDefinition'], '1.22', 'apiextensions.k8s.io/v1', false],
  [['apiregistration.k8s.io/v1beta1'], ['APIService'], '1.22', 'apiregistration.k8s.io/v1', false],
  [['authentication.k8s.io/v1beta1'], ['TokenReview'], '1.22', 'authentication.k8s.io/v1', false],
  [['authorization.k8s.io/v1beta1'], ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'], '1.22', 'authorization.k8s.io/v1', false],
  [['certificates.k8s.io/v1beta1'], ['CertificateSigningRequest'], '1.22', 'certificates.k8s.io/v1', false],
  [['coordination.k8s.io/v1beta1'], ['Lease'], '1.22', 'coordination.k8s.io/v1', false],
  [['extensions/v1beta1', 'networking.k8s.io/v1beta1'], ['Ingress'], '1.22', 'networking.k8s.io/v1', true],
  [['networking.k8s.io/v1beta1'], ['IngressClass'], '1.22', 'networking.k8s.io/v1', false],
  [['rbac.authorization.k8s.io/v1beta1'], ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], '1.22', 'rbac.authorization.k8s.io/v1', true],
  [['scheduling.k8s.io/v1beta1'], ['PriorityClass'], '1.22', 'scheduling.k8s.io/v1', false],
  [['storage.k8s.io/v1beta1'], ['StorageClass'], '1.22', 'storage.k8s.io/v1', true],
  [['storage.k8s.io/v1beta1'], ['CSIDriver', 'CSINode', 'VolumeAttachment'], '1.22', 'storage.k8s.io/v1', false],
  // v1.25
  [['batch/v1beta1'], ['CronJob'], '1.25', 'batch/v1', true],
  [['discovery.k8s.io/v1beta1'], ['EndpointSlice'], '1.25', 'discovery.k8s.io/v1', false],
  [['events.k8s.io/v1beta1'], ['Event'], '1.25', 'events.k8s.io/v1', false],
  [['autoscaling/v2beta1'], ['HorizontalPodAutoscaler'], '1.25', 'autoscaling/v2', true],
  [['policy/v1beta1'], ['PodDisruptionBudget'], '1.25', 'policy/v1', true],
  [['policy/v1beta1'], ['PodSecurityPolicy'], '1.25', null, false],
  [['node.k8s.io/v1beta1'], ['RuntimeClass'], '1.25', 'node.k8s.io/v1', false],
  // v1.26
  [['flowcontrol.apiserver.k8s.io/v1beta1'], ['FlowSchema', 'PriorityLevelConfiguration'], '1.26', 'flowcontrol.apiserver.k8s.io/v1', false],
  [['autoscaling/v2beta2'], ['HorizontalPodAutoscaler'], '1.26', 'autoscaling/v2', true],
  // v1.27
  [['storage.k8s.io/v1beta1'], ['CSIStorageCapacity'], '1.27', 'storage.k8s.io/v1', false],
  // v1.29
  [['flowcontrol.apiserver.k8s.io/v1beta2'], ['FlowSchema', 'PriorityLevelConfiguration'], '1.29', 'flowcontrol.apiserver.k8s.io/v1', false],
  // v1.32
  [['flowcontrol.apiserver.k8s.io/v1beta3'], ['FlowSchema', 'PriorityLevelConfiguration'], '1.32', 'flowcontrol.apiserver.k8s.io/v1', false],
];

export const REMOVED_APIS: readonly RemovedApi[] = ROWS.flatMap(([apiVersions, kinds, removedIn, replacement, migrated]) =>
  apiVersions.flatMap((apiVersion) => kinds.map((kind) => ({ apiVersion, kind, removedIn, replacement, migrated }))),
);

const BY_KEY = new Map(REMOVED_APIS.map((api) => [`${api.apiVersion} ${api.kind}`, api]));

/** The entry for an object's apiVersion and kind, or null when Kubernetes still serves it (or never did). */
export function removedApi(apiVersion: string, kind: string): RemovedApi | null {
  return BY_KEY.get(`${apiVersion} ${kind}`) ?? null;
}
