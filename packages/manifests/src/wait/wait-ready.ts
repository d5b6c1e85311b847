import { type Discovery, isNotFound, type KubeApi, resourcePath } from '@qed/kube';
import { describeObject, type KubeObject } from '../kube-object.js';
import { type Diagnosis, diagnose } from './diagnose.js';
import { readinessOf, WAITED_KINDS } from './readiness.js';

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  /** Called when an object becomes ready, for progress output. */
  onReady?: (object: string, summary: string) => void;
  /** Injectable clock for tests; real time by default. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Stops waiting at the next poll (Ctrl-C in the bootstrap pipeline); what is not ready yet is diagnosed as at the deadline. */
  signal?: AbortSignal;
  /**
   * How often what is still pending is diagnosed while waiting (default 5 s). When every
   * pending object's image is refused by its registry (not found, unauthorized) at two
   * diagnoses in a row, the wait ends there: waiting out the timeout would not bring it
   * (a real kubelet backs off and keeps failing; kubectl waits the full time).
   */
  diagnoseEveryMs?: number;
  /**
   * A container that keeps crashing ends the wait too, like a refused pull (the dev
   * loop: a broken edit is shown at once, with the old pods still serving). The
   * bootstrap waits instead: a service may crash while a dependency starts.
   */
  crashLoopEndsWait?: boolean;
}

const PULL_REFUSED = /not found|manifest unknown|unauthorized|denied|InvalidImageName/i;

export interface WaitResult {
  ready: Array<{ object: string; summary: string }>;
  notReady: Diagnosis[];
}

/**
 * Waits until every Deployment is available, every StatefulSet and DaemonSet
 * ready, every Job complete and every claim bound — all at once, each against the
 * same deadline — and diagnoses whatever has not got there when time is up.
 */
export async function waitReady(
  api: KubeApi,
  discovery: Discovery,
  objects: readonly KubeObject[],
  namespace: string,
  options: WaitOptions,
): Promise<WaitResult> {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  const pending = new Map<string, { object: KubeObject; path: string; live: KubeObject | null }>();
  for (const object of objects) {
    if (!(WAITED_KINDS as readonly string[]).includes(object.kind)) continue;
    const info = await discovery.require(object);
    const ns = info.namespaced ? (object.metadata.namespace ?? namespace) : undefined;
    const withNs = { ...object, metadata: { ...object.metadata, ...(ns ? { namespace: ns } : {}) } };
    pending.set(describeObject(withNs), { object: withNs, path: resourcePath(object.apiVersion, info, ns, object.metadata.name), live: null });
  }
  const ready: WaitResult['ready'] = [];
  const diagnoseEvery = options.diagnoseEveryMs ?? 5000;
  let nextDiagnosis = now() + diagnoseEvery;
  let pullFailures = 0;
  let early: Diagnosis[] | null = null;
  for (;;) {
    await Promise.all(
      [...pending.entries()].map(async ([key, entry]) => {
        entry.live = await api.request<KubeObject>({ method: 'GET', path: entry.path }).catch((error: unknown) => {
          if (isNotFound(error)) return null;
          throw error;
        });
        const state = entry.live ? readinessOf(entry.live) : null;
        if (state?.ready) {
          pending.delete(key);
          ready.push({ object: key, summary: state.summary });
          options.onReady?.(key, state.summary);
        }
      }),
    );
    if (pending.size === 0 || now() >= deadline || options.signal?.aborted) break;
    if (now() >= nextDiagnosis) {
      nextDiagnosis = now() + diagnoseEvery;
      const diagnoses = await Promise.all([...pending.values()].map(({ object, live }) => diagnose(api, discovery, live ?? object)));
      // Only pulls the registry refused for good (no such image, no access): a back-off from a
      // registry that is briefly away may still succeed at the kubelet's next try.
      const hopeless = (d: Diagnosis) => (d.reason === 'ImagePull' && PULL_REFUSED.test(d.message)) || (options.crashLoopEndsWait === true && d.reason === 'CrashLoop');
      pullFailures = diagnoses.every(hopeless) ? pullFailures + 1 : 0;
      if (pullFailures >= 2) {
        early = diagnoses;
        break;
      }
    }
    await sleep(Math.min(options.pollMs ?? 1000, Math.max(0, deadline - now())));
    if (options.signal?.aborted) break;
  }
  const notReady = early ?? (await Promise.all([...pending.values()].map(({ object, live }) => diagnose(api, discovery, live ?? object))));
  return { ready, notReady };
}
