import path from 'node:path';
import { type ImageConfig, isQedError } from '@qed/core';
import type { Discovery, KubeApi } from '@qed/kube';
import { type Diagnosis, type KubeObject, waitReady } from '@qed/manifests';
import { type ChangeAction, classifyChange, compileSyncRules, type SyncCopy } from './classify-change.js';
import type { ContextChange } from './context-watcher.js';
import { selectorQuery } from './label-selector.js';
import { findImageUses, type ImageUse, setImage, type Workload } from './live-workloads.js';

/** One watched image: its config, and every repository the cluster may run it under. */
export interface DevImage {
  config: ImageConfig & { context: string };
  /** The local registry's repository as this machine and as the node name it, and the source's. */
  repositories: ReadonlySet<string>;
}

export interface BuiltImage {
  /** As this machine pushed it (for .qed/images.json). */
  ref: string;
  /** As the cluster's nodes pull it (for the workloads). */
  nodeRef: string;
  /** `unchanged`: the registry already had this content (an edit undone). */
  status: 'built' | 'unchanged';
}

/** A running container a sync copies into. */
export interface SyncTarget {
  namespace: string;
  pod: string;
  container: string;
}

export interface DevLoopDeps {
  api: KubeApi;
  discovery: Discovery;
  namespace: string;
  /** Builds and pushes one image under its content tag; a failure throws (IMAGES_FAILED, with the build log's tail). */
  build(image: ImageConfig): Promise<BuiltImage>;
  /** Copies files of the build context into one running container (tar over the exec API). */
  copyIntoContainer(target: SyncTarget, files: ReadonlyArray<{ source: string; dest: string }>): Promise<void>;
  /** Records the new ref in .qed/images.json, so the next bootstrap or apply deploys what runs. */
  saveRef(source: string, ref: string): Promise<void>;
  /** Starts watching one build context; `onBatch` gets what was saved, and when the first save was seen. */
  watch(image: DevImage, onBatch: (changes: ContextChange[], firstSeenAt: number) => void): Promise<{ close(): void }>;
  now(): number;
  emit(event: DevEvent): void;
  /** How long a rollout may take before it is diagnosed. Default 120 s. */
  rolloutTimeoutMs?: number;
}

export type DevEvent =
  | { type: 'watching'; images: Array<{ name: string; context: string; syncRules: number }> }
  | { type: 'change'; image: string; files: string[]; action: ChangeAction['action']; reason?: string }
  | {
      type: 'cycle';
      image: string;
      action: ChangeAction['action'];
      status: 'ready' | 'failed' | 'nothing-runs-it';
      /** From the first save seen to the end of the cycle (Ready, synced, or the failure). */
      ms: number;
      /** Where a rebuild's time went: waiting for the quiet folder and the build and push, then the rollout to Ready. */
      phases?: { buildMs: number; rolloutMs: number };
      detail: string;
      workloads: string[];
      ref?: string;
      diagnoses?: Diagnosis[];
      hint?: string;
      logTail?: string;
    };

/**
 * `qed-bootstrap dev`: watches every image's build context and, on each save,
 * either copies the files into the running containers (when the image's sync
 * rules cover every file) or rebuilds that image alone, pushes it, points only the
 * workloads that run it at the new image and waits for their rollout. One cycle
 * per image at a time; saves during a cycle make one more cycle after it. A
 * failure is reported and the loop keeps watching. Ends when `signal` aborts,
 * leaving the cluster as it is.
 */
export async function runDevLoop(images: readonly DevImage[], deps: DevLoopDeps, signal: AbortSignal): Promise<void> {
  const watchers: Array<{ close(): void }> = [];
  try {
    for (const image of images) watchers.push(await deps.watch(image, imageQueue(image, deps)));
    deps.emit({ type: 'watching', images: images.map((i) => ({ name: i.config.name, context: i.config.context, syncRules: i.config.sync?.length ?? 0 })) });
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    for (const w of watchers) w.close();
  }
}

/** The cycles of one image, one at a time; saves that come meanwhile are merged into the next. */
function imageQueue(image: DevImage, deps: DevLoopDeps) {
  const rules = compileSyncRules(image.config.sync);
  let pending: { changes: Map<string, ContextChange>; firstSeenAt: number } | null = null;
  let draining = false;
  const drain = async () => {
    while (pending) {
      const batch = pending;
      pending = null;
      const changes = [...batch.changes.values()];
      const action = classifyChange(image.config, changes, rules);
      deps.emit({ type: 'change', image: image.config.name, files: changes.map((c) => c.file), action: action.action, ...(action.action === 'rebuild' ? { reason: action.reason } : {}) });
      await runCycle(image, action, batch.firstSeenAt, deps);
    }
    draining = false;
  };
  return (changes: ContextChange[], firstSeenAt: number) => {
    pending ??= { changes: new Map(), firstSeenAt };
    for (const change of changes) pending.changes.set(change.file, change);
    if (!draining) {
      draining = true;
      void drain();
    }
  };
}

async function runCycle(image: DevImage, action: ChangeAction, firstSeenAt: number, deps: DevLoopDeps): Promise<void> {
  const name = image.config.name;
  const elapsed = () => Math.round(deps.now() - firstSeenAt);
  try {
    if (action.action === 'sync') {
      const synced = await syncCopies(image, action.copies, deps);
      if (synced !== null) {
        deps.emit({ type: 'cycle', image: name, action: 'sync', status: synced.length ? 'ready' : 'nothing-runs-it', ms: elapsed(), detail: synced.length ? `copied ${action.copies.length} file${action.copies.length === 1 ? '' : 's'} into ${synced.length} container${synced.length === 1 ? '' : 's'}, no rebuild` : `nothing in namespace ${deps.namespace} runs ${name}`, workloads: synced });
        return;
      }
    }
    await rebuildAndRoll(image, firstSeenAt, deps);
  } catch (error) {
    deps.emit({
      type: 'cycle',
      image: name,
      action: action.action,
      status: 'failed',
      ms: elapsed(),
      detail: error instanceof Error ? error.message : String(error),
      workloads: [],
      ...(isQedError(error) && error.hint ? { hint: error.hint } : {}),
    });
  }
}

/** Copies into every running container of the image; null when a copy failed and the image must be rebuilt instead. */
async function syncCopies(image: DevImage, copies: readonly SyncCopy[], deps: DevLoopDeps): Promise<string[] | null> {
  const uses = await findImageUses(deps.api, deps.namespace, image.repositories);
  const files = copies.map((c) => ({ source: path.join(image.config.context, c.file), dest: c.dest }));
  const done: string[] = [];
  for (const use of uses) {
    for (const pod of await runningPods(deps.api, deps.namespace, use)) {
      for (const container of use.containers.filter((c) => !c.init)) {
        try {
          await deps.copyIntoContainer({ namespace: deps.namespace, pod, container: container.name }, files);
        } catch (error) {
          deps.emit({ type: 'change', image: image.config.name, files: copies.map((c) => c.file), action: 'rebuild', reason: `the copy into pod ${pod} failed (${(error as Error).message}): rebuilding instead` });
          return null;
        }
        done.push(`pod/${pod}:${container.name}`);
      }
    }
  }
  return done;
}

async function rebuildAndRoll(image: DevImage, firstSeenAt: number, deps: DevLoopDeps): Promise<void> {
  const name = image.config.name;
  // Which workloads run the image does not depend on the build: asked while it runs.
  const using = findImageUses(deps.api, deps.namespace, image.repositories);
  using.catch(() => undefined);
  const built = await deps.build(image.config).catch((error: unknown) => {
    const logTail = (error as { data?: { logTail?: string } }).data?.logTail;
    throw Object.assign(error as Error, logTail ? { logTail } : {});
  });
  const builtAt = deps.now();
  const [uses] = await Promise.all([using, deps.saveRef(image.config.source, built.ref)]);
  const toRoll = uses.filter((u) => u.containers.some((c) => c.image !== built.nodeRef));
  if (uses.length === 0) {
    deps.emit({ type: 'cycle', image: name, action: 'rebuild', status: 'nothing-runs-it', ms: Math.round(deps.now() - firstSeenAt), detail: `${built.status === 'built' ? 'built and pushed' : 'already in the registry'} ${built.ref}; nothing in namespace ${deps.namespace} runs ${name}`, workloads: [], ref: built.ref });
    return;
  }
  const patched: KubeObject[] = [];
  for (const use of toRoll) patched.push(await setImage(deps.api, use, deps.namespace, built.nodeRef));
  const workloads = uses.map((u) => `${u.kind.toLowerCase()}/${u.name}`);
  const result = await waitReady(deps.api, deps.discovery, patched, deps.namespace, {
    timeoutMs: deps.rolloutTimeoutMs ?? 120_000,
    pollMs: 100,
    diagnoseEveryMs: 2000,
    crashLoopEndsWait: true,
  });
  const ms = Math.round(deps.now() - firstSeenAt);
  const phases = { buildMs: Math.round(builtAt - firstSeenAt), rolloutMs: Math.round(deps.now() - builtAt) };
  if (result.notReady.length > 0) {
    deps.emit({ type: 'cycle', image: name, action: 'rebuild', status: 'failed', ms, phases, detail: `${built.ref} rolled out to ${workloads.join(', ')} but is not ready: ${result.notReady.map((d) => d.message).join('; ')}`, workloads, ref: built.ref, diagnoses: result.notReady, hint: [...new Set(result.notReady.map((d) => d.hint))].join(' ') });
    return;
  }
  const how = toRoll.length === 0 ? 'already running it' : `rolled out ${toRoll.map((u) => `${u.kind.toLowerCase()}/${u.name}`).join(', ')}`;
  deps.emit({ type: 'cycle', image: name, action: 'rebuild', status: 'ready', ms, phases, detail: `${built.status === 'built' ? 'rebuilt' : 'unchanged in the registry'} ${built.ref}, ${how}`, workloads, ref: built.ref });
}

/** The running pods of a workload, by its selector. */
async function runningPods(api: KubeApi, namespace: string, use: ImageUse): Promise<string[]> {
  const selector = selectorQuery((use.workload as Workload).spec?.selector);
  const pods = await api.request<{ items: Array<{ metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string } }> }>({
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
    query: { labelSelector: selector },
  });
  return pods.items.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
}
