import type { KubeObject } from './kube-object.js';

/** The parts of a pod spec render reads and rewrites; the rest passes through untouched. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key?: string; optional?: boolean }; [key: string]: unknown };
}

export interface Container {
  name: string;
  image?: string;
  ports?: Array<{ containerPort: number; name?: string }>;
  env?: EnvVar[];
  envFrom?: Array<{ secretRef?: { name?: string }; [key: string]: unknown }>;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  readinessProbe?: { tcpSocket?: { port?: number | string }; [key: string]: unknown };
  volumeMounts?: Array<{ name: string; mountPath: string; subPath?: string; readOnly?: boolean }>;
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  hostPath?: { path: string; type?: string };
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  secret?: { secretName?: string; items?: Array<{ key: string; path: string }>; optional?: boolean };
  projected?: {
    sources?: Array<{ secret?: { name?: string; items?: Array<{ key: string; path: string }> } }>;
  };
  [key: string]: unknown;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  [key: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; [key: string]: unknown };
  spec?: PodSpec;
}

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The pod template of a workload and its field path, or null for other kinds. */
export function podTemplateOf(object: KubeObject): { template: PodTemplate; path: string[] } | null {
  const path = TEMPLATE_PATHS[object.kind];
  return path ? templateAt(object, path) : null;
}

/**
 * The pod spec of any object that has one, with its field path: a workload's
 * template spec, or a bare Pod's own spec. For the checks, which must see every pod.
 */
export function podSpecOf(object: KubeObject): { spec: PodSpec; path: string[] } | null {
  if (object.kind === 'Pod') {
    const spec = object.spec;
    return typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? { spec: spec as PodSpec, path: ['spec'] } : null;
  }
  const found = podTemplateOf(object) ?? (object.kind === 'ReplicationController' ? templateAt(object, ['spec', 'template']) : null);
  const spec = found?.template.spec;
  return found && typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? { spec, path: [...found.path, 'spec'] } : null;
}

function templateAt(object: KubeObject, path: string[]): { template: PodTemplate; path: string[] } | null {
  let node: unknown = object;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return null;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'object' && node !== null ? { template: node as PodTemplate, path } : null;
}

/** Init containers and containers, each with its field path. */
export function containersOf(
  spec: PodSpec,
  specPath: readonly string[],
): Array<{ container: Container; path: Array<string | number> }> {
  const out: Array<{ container: Container; path: Array<string | number> }> = [];
  for (const field of ['initContainers', 'containers'] as const) {
    (spec[field] ?? []).forEach((container, index) => {
      out.push({ container, path: [...specPath, field, index] });
    });
  }
  return out;
}

/** Kinds whose objects belong to no namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'Node',
]);

export function isNamespaced(kind: string): boolean {
  return !CLUSTER_SCOPED.has(kind);
}
