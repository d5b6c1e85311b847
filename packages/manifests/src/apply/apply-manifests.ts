import { mapLimit, QedError } from '@qed/core';
import { Discovery, isNotFound, type KubeApi, resourcePath } from '@qed/kube';
import { describeObject, type KubeObject, LABEL_MANAGED_BY, MANAGED_BY } from '../kube-object.js';
import { applyFailure } from './apply-failure.js';
import { type ApplyPlan, objectKey } from './apply-plan.js';
import { serverSideApply } from './server-side-apply.js';

export type ApplyAction = 'created' | 'configured' | 'unchanged' | 'pruned';

export interface AppliedObject {
  kind: string;
  name: string;
  namespace?: string;
  action: ApplyAction;
  dryRun: boolean;
  tier: string;
  resourceVersion?: string;
}

export interface ApplyDeps {
  api: KubeApi;
  discovery?: Discovery;
  /** Called once per object as it is done, for progress output. */
  onObject?: (applied: AppliedObject) => void;
}

export interface ApplyOptions {
  dryRun?: boolean;
  /** Objects in flight at once within a tier. */
  concurrency?: number;
  /** What exists already (from prefetchLive); fetched here when not given. */
  live?: Map<string, KubeObject>;
}

/**
 * The live state of everything the plan touches, one LIST per kind and namespace
 * rather than a GET per object: the apply needs it only to tell created,
 * configured and unchanged apart.
 */
export async function prefetchLive(api: KubeApi, discovery: Discovery, plan: ApplyPlan): Promise<Map<string, KubeObject>> {
  const collections = new Map<string, { apiVersion: string; kind: string; namespace: string | undefined }>();
  for (const object of plan.tiers.flatMap((t) => t.objects)) {
    const info = await discovery.lookup(object.apiVersion, object.kind);
    if (!info) continue;
    const namespace = info.namespaced ? (object.metadata.namespace ?? plan.namespace) : undefined;
    collections.set(`${object.apiVersion}|${object.kind}|${namespace ?? ''}`, { apiVersion: object.apiVersion, kind: object.kind, namespace });
  }
  const live = new Map<string, KubeObject>();
  await Promise.all(
    [...collections.values()].map(async ({ apiVersion, kind, namespace }) => {
      const info = await discovery.require({ apiVersion, kind });
      const list = await api.request<{ items: KubeObject[] }>({ method: 'GET', path: resourcePath(apiVersion, info, namespace) }).catch((error: unknown) => {
        // A namespace the plan is about to create has nothing in it yet.
        if (isNotFound(error)) return { items: [] };
        throw error;
      });
      for (const item of list.items) live.set(objectKey(kind, namespace, item.metadata.name), { ...item, apiVersion, kind });
    }),
  );
  return live;
}

/**
 * Applies a plan tier by tier; within a tier concurrently. The live state read
 * beforehand lets the result say created / configured / unchanged: an apply that
 * changes nothing leaves the resourceVersion as it was.
 */
export async function applyPlan(deps: ApplyDeps, plan: ApplyPlan, options: ApplyOptions = {}): Promise<AppliedObject[]> {
  const target = { api: deps.api, discovery: deps.discovery ?? new Discovery(deps.api) };
  const live = options.live ?? (await prefetchLive(deps.api, target.discovery, plan));
  const applied: AppliedObject[] = [];
  for (const tier of plan.tiers) {
    const results = await mapLimit(tier.objects, options.concurrency ?? 16, async (object) => {
      const info = await target.discovery.require(object);
      const namespace = info.namespaced ? (object.metadata.namespace ?? plan.namespace) : undefined;
      const before = live.get(objectKey(object.kind, namespace, object.metadata.name)) ?? null;
      const after = await serverSideApply(target, object, { dryRun: options.dryRun === true, ...(namespace ? { namespace } : {}) }).catch((error: unknown) => {
        throw applyFailure({ ...object, metadata: { ...object.metadata, ...(namespace ? { namespace } : {}) } }, error);
      });
      const action: ApplyAction = !before ? 'created' : sameState(before, after) ? 'unchanged' : 'configured';
      const result: AppliedObject = {
        kind: object.kind,
        name: object.metadata.name,
        ...(namespace ? { namespace } : {}),
        action,
        dryRun: options.dryRun === true,
        tier: tier.name,
        ...(after.metadata.resourceVersion ? { resourceVersion: String(after.metadata.resourceVersion) } : {}),
      };
      deps.onObject?.(result);
      return result;
    });
    applied.push(...results);
  }
  return applied;
}

/**
 * A real apply that changed nothing keeps the resourceVersion. A dry run never
 * bumps it, so there the objects are compared without the bookkeeping fields.
 */
function sameState(before: KubeObject, after: KubeObject): boolean {
  if (before.metadata.resourceVersion !== after.metadata.resourceVersion) return false;
  return stableJson(withoutBookkeeping(before)) === stableJson(withoutBookkeeping(after));
}

function withoutBookkeeping(object: KubeObject): unknown {
  const { resourceVersion: _rv, generation: _gen, managedFields: _mf, ...metadata } = object.metadata;
  const { status: _status, ...rest } = object as KubeObject & { status?: unknown };
  return { ...rest, metadata };
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Kinds prune and teardown look for. Claims and volumes are not among them: they hold data. */
export const PRUNABLE_KINDS: ReadonlyArray<{ apiVersion: string; kind: string }> = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'v1', kind: 'ReplicationController' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
];

export const DATA_KINDS: ReadonlyArray<{ apiVersion: string; kind: string }> = [
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'PersistentVolume' },
];

/** Objects carrying our managed-by label, of the given kinds, in the namespace (and cluster-scoped ones). */
export async function listManaged(
  api: KubeApi,
  discovery: Discovery,
  namespace: string,
  kinds: ReadonlyArray<{ apiVersion: string; kind: string }>,
): Promise<KubeObject[]> {
  const lists = await Promise.all(
    kinds.map(async ({ apiVersion, kind }) => {
      const info = await discovery.lookup(apiVersion, kind);
      if (!info) return [];
      const list = await api.request<{ items: KubeObject[] }>({
        method: 'GET',
        path: resourcePath(apiVersion, info, namespace),
        query: { labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY}` },
      });
      return list.items.map((item) => ({ ...item, apiVersion, kind }));
    }),
  );
  return lists.flat();
}

/** Managed objects of prunable kinds that the plan no longer contains. */
export async function planPrune(api: KubeApi, discovery: Discovery, plan: ApplyPlan): Promise<KubeObject[]> {
  const wanted = new Set(
    plan.tiers.flatMap((t) => t.objects.map((o) => objectKey(o.kind, o.metadata.namespace ?? plan.namespace, o.metadata.name))),
  );
  const managed = await listManaged(api, discovery, plan.namespace, PRUNABLE_KINDS);
  return managed.filter((o) => !wanted.has(objectKey(o.kind, o.metadata.namespace, o.metadata.name)));
}

/**
 * Deletes objects (background propagation: a Deployment's pods go with it) and,
 * as `kubectl delete` does, waits until they are gone: finalizers such as
 * pv-protection hold an object until what uses it has gone first.
 */
export async function deleteObjects(
  api: KubeApi,
  discovery: Discovery,
  objects: readonly KubeObject[],
  options: { dryRun?: boolean; timeoutMs?: number } = {},
): Promise<string[]> {
  const paths = await mapLimit(objects, 16, async (object) => {
    const info = await discovery.require(object);
    const path = resourcePath(object.apiVersion, info, object.metadata.namespace, object.metadata.name);
    await api
      .request({ method: 'DELETE', path, query: { propagationPolicy: 'Background', ...(options.dryRun ? { dryRun: 'All' } : {}) } })
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    return path;
  });
  if (!options.dryRun) {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    let remaining = paths;
    while (remaining.length > 0) {
      const present = await mapLimit(remaining, 16, (path) =>
        api.request({ method: 'GET', path }).then(
          () => path,
          (error: unknown) => {
            if (isNotFound(error)) return null;
            throw error;
          },
        ),
      );
      remaining = present.filter((p): p is string => p !== null);
      if (remaining.length === 0) break;
      if (Date.now() > deadline) {
        throw new QedError('DELETE_TIMEOUT', `still being deleted after the timeout: ${remaining.join(', ')}`, {
          hint: 'Something still holds them (a finalizer, a pod using a claim): `kubectl describe` each to see what.',
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return objects.map(describeObject);
}
