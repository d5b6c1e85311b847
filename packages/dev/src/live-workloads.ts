import type { KubeApi } from '@qed/kube';
import type { KubeObject } from '@qed/manifests';
import type { LabelSelector } from './label-selector.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';
const COLLECTIONS: Record<WorkloadKind, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };
export const WORKLOAD_KINDS = Object.keys(COLLECTIONS) as WorkloadKind[];

/** The API path of a namespace's workloads of one kind. */
export function workloadsPath(namespace: string, kind: WorkloadKind): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${COLLECTIONS[kind]}`;
}

/** The field manager of the dev loop's image updates: it owns the image fields only, never what `apply` owns. */
export const DEV_FIELD_MANAGER = 'qed-bootstrap-dev';

interface PodTemplateSpec {
  containers?: Array<{ name: string; image?: string }>;
  initContainers?: Array<{ name: string; image?: string }>;
}
export type Workload = KubeObject & {
  spec?: { selector?: LabelSelector; template?: { metadata?: { labels?: Record<string, string> }; spec?: PodTemplateSpec } };
};

/** A workload's containers that run one image, as the cluster has them now. */
export interface ImageUse {
  workload: KubeObject;
  kind: WorkloadKind;
  name: string;
  containers: Array<{ name: string; image: string; init: boolean }>;
}

/**
 * The repository of an image reference: without its tag or digest
 * (`127.0.0.1:5050/qed-django:c-1` -> `127.0.0.1:5050/qed-django`; a registry port
 * is not a tag).
 */
export function imageRepository(ref: string): string {
  const withoutDigest = ref.split('@')[0] ?? ref;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * The namespace's Deployments, StatefulSets and DaemonSets whose containers run
 * one of `repositories` (any tag): the workloads a rebuilt or synced image
 * concerns, and nothing else.
 */
export async function findImageUses(api: KubeApi, namespace: string, repositories: ReadonlySet<string>): Promise<ImageUse[]> {
  return (await listWorkloads(api, namespace)).flatMap((live) => imageUseOf(live, repositories) ?? []);
}

/** The containers of one workload that run one of `repositories`; undefined when none does. */
export function imageUseOf({ workload, kind }: LiveWorkload, repositories: ReadonlySet<string>): ImageUse | undefined {
  const spec = workload.spec?.template?.spec ?? {};
  const containers = [
    ...(spec.initContainers ?? []).map((c) => ({ name: c.name, image: c.image ?? '', init: true })),
    ...(spec.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? '', init: false })),
  ].filter((c) => repositories.has(imageRepository(c.image)));
  return containers.length > 0 ? { workload: { ...workload, apiVersion: 'apps/v1', kind }, kind, name: workload.metadata.name, containers } : undefined;
}

/** A Deployment, StatefulSet or DaemonSet as the cluster has it now (with its kind, which a list leaves out). */
export interface LiveWorkload {
  kind: WorkloadKind;
  name: string;
  workload: Workload;
}

/** The namespace's Deployments, StatefulSets and DaemonSets, in that order. */
export async function listWorkloads(api: KubeApi, namespace: string): Promise<LiveWorkload[]> {
  const workloads: LiveWorkload[] = [];
  for (const kind of WORKLOAD_KINDS) {
    const list = await api.request<{ items: Workload[] }>({ method: 'GET', path: workloadsPath(namespace, kind) });
    for (const item of list.items) workloads.push({ kind, name: item.metadata.name, workload: { ...item, apiVersion: 'apps/v1', kind } });
  }
  return workloads;
}

/**
 * Points the containers of one workload at a new image, by a server-side apply
 * that names only those image fields (field manager qed-bootstrap-dev, forced:
 * the image is the one field it takes from `apply`'s manager). Everything else of
 * the workload stays as `apply` left it. Returns the workload as the server has it
 * now (its new generation is what the rollout wait waits for).
 */
export async function setImage(api: KubeApi, use: ImageUse, namespace: string, image: string): Promise<KubeObject> {
  const pick = (init: boolean) => use.containers.filter((c) => c.init === init).map((c) => ({ name: c.name, image }));
  const template = { ...(pick(true).length ? { initContainers: pick(true) } : {}), ...(pick(false).length ? { containers: pick(false) } : {}) };
  return api.request<KubeObject>({
    method: 'PATCH',
    path: `${workloadsPath(namespace, use.kind)}/${encodeURIComponent(use.name)}`,
    query: { fieldManager: DEV_FIELD_MANAGER, force: 'true', fieldValidation: 'Strict' },
    contentType: 'application/apply-patch+yaml',
    body: { apiVersion: 'apps/v1', kind: use.kind, metadata: { name: use.name, namespace }, spec: { template: { spec: template } } },
  });
}
