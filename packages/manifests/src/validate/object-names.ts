/**
 * The name rules the API server applies, so a bad name is found before a cluster
 * is asked and migrate can repair the mechanical cases. Kubernetes names are one of
 * three shapes; which one depends on the kind.
 */
export type NameRule = 'dns-label' | 'dns-1035-label' | 'dns-subdomain' | 'path-segment';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035: a DNS label that starts with a letter. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_LENGTH: Record<NameRule, number> = {
  'dns-label': 63,
  'dns-1035-label': 63,
  'dns-subdomain': 253,
  'path-segment': Number.POSITIVE_INFINITY,
};
/** RBAC objects accept any name that fits in a URL path segment. */
const PATH_SEGMENT_NAMED = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
/** Built-in kinds named as DNS subdomains; custom resources are left to their CRD's server. */
const SUBDOMAIN_NAMED = new Set([
  'ConfigMap',
  'CronJob',
  'DaemonSet',
  'Deployment',
  'Endpoints',
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'Job',
  'LimitRange',
  'NetworkPolicy',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Pod',
  'PodDisruptionBudget',
  'PriorityClass',
  'ReplicaSet',
  'ReplicationController',
  'ResourceQuota',
  'Secret',
  'ServiceAccount',
  'StatefulSet',
  'StorageClass',
]);

/** The rule metadata.name of `kind` must follow, or null when the kind is not built in. */
export function nameRuleOf(kind: string): NameRule | null {
  // Both become host names: a Service's DNS entry, a namespace inside every name.
  if (kind === 'Service') return 'dns-1035-label';
  if (kind === 'Namespace') return 'dns-label';
  if (PATH_SEGMENT_NAMED.has(kind)) return 'path-segment';
  if (SUBDOMAIN_NAMED.has(kind)) return 'dns-subdomain';
  return null;
}

export function isValidName(name: string, rule: NameRule): boolean {
  if (name.length === 0 || name.length > MAX_LENGTH[rule]) return false;
  if (rule === 'path-segment') return name !== '.' && name !== '..' && !/[/%]/.test(name);
  const pattern = rule === 'dns-label' ? DNS_LABEL : rule === 'dns-1035-label' ? DNS_1035_LABEL : DNS_SUBDOMAIN;
  return pattern.test(name);
}

/** What a name of this rule may hold, for messages. */
export function describeNameRule(rule: NameRule): string {
  switch (rule) {
    case 'dns-label':
      return 'lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
    case 'dns-1035-label':
      return 'lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters';
    case 'dns-subdomain':
      return 'lower-case letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters';
    case 'path-segment':
      return 'any characters but "/" and "%", and not "." or ".."';
  }
}

/**
 * The valid name a person most likely meant, or null when there is no mechanical
 * reading: letters lowered, "_" and other characters the rule forbids turned into
 * "-", leading and trailing separators dropped. `mongodb-pVolume` -> `mongodb-pvolume`.
 */
export function repairName(name: string, rule: NameRule): string | null {
  if (rule === 'path-segment') return null;
  const allowed = rule === 'dns-subdomain' ? /[^a-z0-9.-]/g : /[^a-z0-9-]/g;
  const repaired = name
    .toLowerCase()
    .replace(allowed, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return isValidName(repaired, rule) ? repaired : null;
}

/** IANA service name, as a container or Service port name must be: at most 15 characters, a letter among them. */
export function isValidPortName(name: string): boolean {
  return name.length <= 15 && DNS_LABEL.test(name) && /[a-z]/.test(name) && !name.includes('--');
}
