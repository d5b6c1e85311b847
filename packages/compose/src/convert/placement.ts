import { LABEL_NAME } from '@qed/manifests/kube-object';
import type { ServiceModel } from '../model/compose-model.js';
import type { Location } from '../source/compose-problem.js';
import { isValidAnnotationKey } from './kube-name.js';

type Fields = Record<string, unknown>;

/** The control-plane role label kubeadm puts on its nodes: Swarm's managers. */
const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
/** Swarm reports the kernel's architecture names; Kubernetes labels nodes with Go's. */
const ARCHITECTURES: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm', i386: '386', i686: '386', s390x: 's390x', ppc64le: 'ppc64le' };

interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/**
 * deploy.placement as pod scheduling: constraints (`node.hostname == n1`,
 * `node.labels.disk != hdd`, `node.role == manager`, `node.platform.os`/`.arch`)
 * become a nodeSelector for `==` and required node affinity for the rest; spread
 * preferences become topology spread constraints, the first the strictest, as
 * kompose makes them. What has no node label to match is warned.
 */
export function placementOf(service: ServiceModel, workloadName: string, warn: (at: Location, message: string) => void): Fields {
  const nodeSelector: Record<string, string> = {};
  const expressions: Requirement[] = [];
  for (const { expression, at } of service.placement.constraints) {
    const match = /^\s*([^\s=!]+)\s*(==|!=)\s*(.*?)\s*$/.exec(expression);
    if (!match?.[1] || !match[2]) {
      warn(at, `constraint "${expression}" is not translated: write it as LABEL == VALUE or LABEL != VALUE`);
      continue;
    }
    const [, attribute, operator, raw = ''] = match;
    const requirement = requirementOf(attribute, operator === '==', raw.replace(/^["']|["']$/g, ''));
    if (typeof requirement === 'string') {
      warn(at, `constraint "${expression}" is not translated: ${requirement}`);
      continue;
    }
    const value = requirement.values?.[0];
    if (requirement.operator === 'In' && value !== undefined && nodeSelector[requirement.key] === undefined) nodeSelector[requirement.key] = value;
    else expressions.push(requirement);
  }
  const spread = service.placement.preferences.flatMap(({ spread: attribute, at }, i, all) => {
    if (service.deployMode === 'global') {
      warn(at, `preference spread ${attribute} is not translated: a global service runs one pod on every node already`);
      return [];
    }
    const key = nodeLabelKey(attribute);
    if (typeof key !== 'string') {
      warn(at, `preference spread ${attribute} is not translated: only node.labels.*, node.hostname and node.platform.* name node labels`);
      return [];
    }
    return [{ maxSkew: all.length - i, topologyKey: key, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { [LABEL_NAME]: workloadName } } }];
  });
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(expressions.length > 0 ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } } } } : {}),
    ...(spread.length > 0 ? { topologySpreadConstraints: spread } : {}),
  };
}

/** The node label a Swarm node attribute corresponds to, or why there is none. */
function nodeLabelKey(attribute: string): string | { why: string } {
  if (attribute === 'node.hostname') return 'kubernetes.io/hostname';
  if (attribute === 'node.platform.os' || attribute === 'engine.labels.operatingsystem') return 'kubernetes.io/os';
  if (attribute === 'node.platform.arch') return 'kubernetes.io/arch';
  if (attribute.startsWith('node.labels.')) {
    const key = attribute.slice('node.labels.'.length);
    return isValidAnnotationKey(key) ? key : { why: `${key} is not a valid Kubernetes label key` };
  }
  return { why: `${attribute} has no Kubernetes node label (node.hostname, node.role, node.labels.*, node.platform.os and .arch have)` };
}

function requirementOf(attribute: string, equal: boolean, value: string): Requirement | string {
  if (attribute === 'node.role') {
    if (value !== 'manager' && value !== 'worker') return `node.role is manager or worker, not "${value}"`;
    // A manager is a control-plane node; a worker is any other.
    const onControlPlane = (value === 'manager') === equal;
    return { key: CONTROL_PLANE, operator: onControlPlane ? 'Exists' : 'DoesNotExist' };
  }
  const key = nodeLabelKey(attribute);
  if (typeof key !== 'string') return key.why;
  const mapped = key === 'kubernetes.io/arch' ? (ARCHITECTURES[value] ?? value) : key === 'kubernetes.io/os' ? value.toLowerCase() : value;
  if (!/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(mapped) || mapped.length > 63) return `"${value}" is not a valid node label value`;
  return { key, operator: equal ? 'In' : 'NotIn', values: [mapped] };
}
