import { Discovery, type KubeApi } from '@qed/kube';
import { describeObject, type SourcedObject } from '../kube-object.js';
import { manifestsInvalid } from '../load-manifests.js';
import { validateManifests } from '../validate/validate-manifests.js';
import { type WaitResult, waitReady } from '../wait/wait-ready.js';
import { type AppliedObject, applyPlan, deleteObjects, planPrune, prefetchLive } from './apply-manifests.js';
import { type ApplyPlan, planApply } from './apply-plan.js';

export interface RunApplyOptions {
  namespace: string;
  dryRun?: boolean;
  prune?: boolean;
  /** Asked before anything is pruned; no callback means no prune. */
  confirmPrune?: (objects: string[]) => Promise<boolean>;
  wait?: boolean;
  timeoutMs?: number;
  onObject?: (applied: AppliedObject) => void;
  onReady?: (object: string, summary: string) => void;
  /**
   * These very objects were validated in this process, offline and by the server's
   * strict dry run (the bootstrap's manifests step did it a moment ago): asking the
   * server again would only cost a round of requests.
   */
  validated?: boolean;
}

export interface RunApplyResult {
  plan: ApplyPlan;
  applied: AppliedObject[];
  /** Objects pruned (or, on a dry run, that would be). */
  pruned: string[];
  /** Objects prune found but the user declined to delete. */
  pruneDeclined: string[];
  wait: WaitResult | null;
}

/**
 * `qed-bootstrap apply`: every object is validated, offline and by the server's
 * dry run, before the first one is applied (unless the caller just did: `validated`); any problem stops it with nothing
 * changed. Then tiers in order, prune of what left the set, and the wait.
 */
export async function runApply(
  connection: KubeApi | Promise<KubeApi>,
  objects: readonly SourcedObject[],
  options: RunApplyOptions,
): Promise<RunApplyResult> {
  const plan = planApply(
    objects.map((o) => o.object),
    options.namespace,
  );
  // The offline checks need no cluster, so they start while the connection is
  // still being made; reading what exists only reads, so it runs alongside too.
  const target = Promise.resolve(connection).then((api) => ({ api, discovery: new Discovery(api) }));
  const live = target.then(({ api, discovery }) => prefetchLive(api, discovery, plan));
  live.catch(() => undefined);
  if (!options.validated) {
    const report = await validateManifests(objects, { target, namespace: options.namespace });
    if (report.problems.length > 0) throw manifestsInvalid(report.problems);
  }
  const { api, discovery } = await target;

  const applied = await applyPlan({ api, discovery, ...(options.onObject ? { onObject: options.onObject } : {}) }, plan, {
    dryRun: options.dryRun === true,
    live: await live,
  });

  let pruned: string[] = [];
  let pruneDeclined: string[] = [];
  if (options.prune) {
    const leftovers = await planPrune(api, discovery, plan);
    const names = leftovers.map(describeObject);
    if (leftovers.length > 0) {
      if (options.dryRun) pruned = names;
      else if (options.confirmPrune && (await options.confirmPrune(names))) pruned = await deleteObjects(api, discovery, leftovers);
      else pruneDeclined = names;
    }
  }

  const wait =
    options.wait && !options.dryRun
      ? await waitReady(
          api,
          discovery,
          plan.tiers.flatMap((t) => t.objects),
          options.namespace,
          { timeoutMs: options.timeoutMs ?? 300_000, ...(options.onReady ? { onReady: options.onReady } : {}) },
        )
      : null;
  return { plan, applied, pruned, pruneDeclined, wait };
}
