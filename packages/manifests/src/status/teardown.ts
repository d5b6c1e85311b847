import path from 'node:path';
import { type OperatingSystem, toNodePath } from '@qed/core';
import type { Discovery, KubeApi } from '@qed/kube';
import { describeObject, type KubeObject, LABEL_MANAGED_BY, MANAGED_BY } from '../kube-object.js';
import { DATA_KINDS, deleteObjects, listManaged, PRUNABLE_KINDS } from '../apply/apply-manifests.js';

export interface TeardownPlan {
  namespace: string;
  remove: KubeObject[];
  /** Claims and volumes kept because they hold data (removed only with --purge). */
  keep: KubeObject[];
}

/**
 * What `down` would remove: everything qed-bootstrap applied in the namespace.
 * Claims and the volumes bound to them are kept unless purging, and so is the
 * namespace, which holds them.
 */
export async function planTeardown(api: KubeApi, discovery: Discovery, namespace: string, options: { purge: boolean }): Promise<TeardownPlan> {
  const [objects, dataObjects] = await Promise.all([
    listManaged(api, discovery, namespace, PRUNABLE_KINDS),
    listManaged(api, discovery, namespace, DATA_KINDS),
  ]);
  // Volumes are cluster-scoped: only those bound to a claim of this namespace are ours to judge here.
  const data = dataObjects.filter(
    (o) => o.kind !== 'PersistentVolume' || (o as { spec?: { claimRef?: { namespace?: string } } }).spec?.claimRef?.namespace === namespace,
  );
  if (!options.purge) return { namespace, remove: objects, keep: data };
  const ns = await api
    .request<KubeObject>({ method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}` })
    .catch(() => null);
  const ownNamespace = ns?.metadata.labels?.[LABEL_MANAGED_BY] === MANAGED_BY ? [{ ...ns, apiVersion: 'v1', kind: 'Namespace' }] : [];
  return { namespace, remove: [...objects, ...data, ...ownNamespace], keep: [] };
}

export async function runTeardown(api: KubeApi, discovery: Discovery, plan: TeardownPlan, options: { dryRun?: boolean } = {}): Promise<string[]> {
  return deleteObjects(api, discovery, plan.remove, options);
}

export function describeTeardown(plan: TeardownPlan): { remove: string[]; keep: string[] } {
  return { remove: plan.remove.map(describeObject), keep: plan.keep.map(describeObject) };
}

/**
 * The host folders under the data root that the purged PersistentVolumes keep their
 * data in. Deleting a volume with the Retain policy leaves its files, and the next
 * bootstrap binds a new volume to the same folder: without removing them, --purge
 * would not remove the data at all. Only hostPath volumes inside the data root (as
 * the node sees it) count; nothing outside it is ever named.
 */
export function purgedDataFolders(plan: TeardownPlan, dataRoot: string, os: OperatingSystem): string[] {
  const nodeRoot = toNodePath(dataRoot, os);
  const folders: string[] = [];
  for (const object of plan.remove) {
    if (object.kind !== 'PersistentVolume') continue;
    const nodePath = (object as { spec?: { hostPath?: { path?: string } } }).spec?.hostPath?.path;
    if (!nodePath) continue;
    const relative = path.posix.relative(nodeRoot, nodePath);
    if (!relative || relative.startsWith('..') || path.posix.isAbsolute(relative)) continue;
    folders.push(path.join(dataRoot, ...relative.split('/')));
  }
  return folders;
}
