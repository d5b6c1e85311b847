import { QedError } from '@qed/core';
import { type KubeApi, type KubeStreamApi, podLogs, type WatchedObject, watch } from '@qed/kube';
import { selectorQuery } from './label-selector.js';
import { logLabel, splitTimestamp } from './log-format.js';
import { type LiveWorkload, listWorkloads, WORKLOAD_KINDS, type Workload, type WorkloadKind, workloadsPath } from './live-workloads.js';

/** A service as logs and forwards name it: a workload of the namespace, with the pods it selects. */
export interface NamedWorkload {
  name: string;
  kind: WorkloadKind;
  /** The labelSelector of its pods. */
  selector: string;
  /** Its containers (not the init containers), in the order of its pod template. */
  containers: string[];
}

/** One line a container printed. */
export interface LogLine {
  service: string;
  /** What the line's prefix shows: the service, and the container when the workload has several. */
  label: string;
  pod: string;
  container: string;
  /** When the runtime stamped it (RFC 3339). */
  time: string | undefined;
  text: string;
}

/**
 * The Deployments, StatefulSets and DaemonSets `names` name (all of them when it
 * is empty). A name no workload has is a USAGE error listing those there are.
 */
export async function resolveWorkloads(api: KubeApi, namespace: string, names: readonly string[]): Promise<NamedWorkload[]> {
  const all = (await listWorkloads(api, namespace)).map(namedWorkload);
  if (all.length === 0) {
    throw new QedError('LOGS_NOTHING_DEPLOYED', `no Deployment, StatefulSet or DaemonSet in namespace ${namespace}`, {
      hint: 'Deploy the stack first (`qed-bootstrap`), or name the namespace it runs in with -n NAMESPACE.',
    });
  }
  const unknown = names.filter((name) => !all.some((w) => w.name === name));
  if (unknown.length > 0) {
    throw new QedError('USAGE', `no workload named ${unknown.join(', ')} in namespace ${namespace}`, {
      hint: `The services there: ${[...new Set(all.map((w) => w.name))].sort().join(', ')}.`,
    });
  }
  return all.filter((w) => names.length === 0 || names.includes(w.name)).sort((a, b) => a.name.localeCompare(b.name));
}

/** A live workload as logs name it. */
export function namedWorkload({ kind, name, workload }: LiveWorkload): NamedWorkload {
  return {
    name,
    kind,
    selector: selectorQuery(workload.spec?.selector),
    containers: (workload.spec?.template?.spec?.containers ?? []).map((c) => c.name),
  };
}

interface ContainerState {
  running?: unknown;
  terminated?: unknown;
  waiting?: unknown;
}

export interface LoggedPod extends WatchedObject {
  spec?: { containers?: Array<{ name: string }> };
  status?: { containerStatuses?: Array<{ name: string; restartCount?: number; state?: ContainerState }> };
}

export interface ServiceLogsOptions {
  namespace: string;
  workloads: readonly NamedWorkload[];
  /** Keep reading, and take up the pods that come (a rollout's, a restart's). */
  follow: boolean;
  /** Only the lines of the last this many seconds (of the containers already running). */
  sinceSeconds?: number;
  /** Only this many lines of each container already running; new ones are read whole. */
  tailLines?: number;
  signal: AbortSignal;
  /**
   * With `follow`: which workloads created after the start are taken up too (all of
   * them for `logs` without names; those that run a dev image for `dev`). Without it
   * only `workloads` are followed.
   */
  takeUp?: (workload: LiveWorkload) => boolean;
  onLine(line: LogLine): void;
  /** A container whose log could not be read, a watch that failed and is tried again. */
  onWarning?(message: string): void;
}

/**
 * The logs of every pod of the workloads, interleaved. Without `follow`: what
 * each container printed (its last lines), merged in the order the runtime
 * stamped them. With it: the same, then each line as it comes, and the pods a
 * rollout or a restart brings (watched by each workload's selector), until
 * `signal` aborts.
 */
export async function streamServiceLogs(api: KubeApi & KubeStreamApi, options: ServiceLogsOptions): Promise<void> {
  if (!options.follow) {
    const lines = (await Promise.all(options.workloads.map((w) => readWorkload(api, w, options)))).flat();
    for (const line of orderByTime(lines)) options.onLine(line);
    return;
  }
  const followed = options.workloads.map((w) => followWorkload(api, w, options));
  const { takeUp } = options;
  if (takeUp) {
    const known = new Set(options.workloads.map((w) => `${w.kind}/${w.name}`));
    const onAdded = (live: LiveWorkload) => {
      const key = `${live.kind}/${live.name}`;
      if (known.has(key) || !takeUp(live)) return;
      known.add(key);
      followed.push(followWorkload(api, namedWorkload(live), options));
    };
    followed.push(...WORKLOAD_KINDS.map((kind) => watchAddedWorkloads(api, kind, options, onAdded)));
  }
  // Workloads taken up while waiting add to the list: wait until it stops growing.
  for (let waited = 0; waited < followed.length; ) {
    waited = followed.length;
    await Promise.all(followed);
  }
}

/**
 * Calls `onAdded` for each workload of `kind` the watch shows (those there at the
 * start included: the caller knows them), until the signal aborts. A failed watch
 * is said and tried again.
 */
async function watchAddedWorkloads(api: KubeApi & KubeStreamApi, kind: WorkloadKind, options: ServiceLogsOptions, onAdded: (live: LiveWorkload) => void): Promise<void> {
  const { namespace, signal } = options;
  while (!signal.aborted) {
    try {
      for await (const event of watch<Workload>(api, { path: workloadsPath(namespace, kind), signal })) {
        if (event.type === 'ADDED') onAdded({ kind, name: event.object.metadata.name, workload: event.object });
      }
    } catch (error) {
      if (signal.aborted) break;
      options.onWarning?.(`watching the namespace's ${kind}s failed (${(error as Error).message}); trying again`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** Stamped lines in time order; lines of one container keep their order (the sort is stable). */
export function orderByTime(lines: readonly LogLine[]): LogLine[] {
  return [...lines].sort((a, b) => (a.time && b.time ? compareTimes(a.time, b.time) : 0));
}

/** RFC 3339 times with fractions of any length: the runtime writes nanoseconds, without trailing zeros. */
function compareTimes(a: string, b: string): number {
  const ms = Date.parse(a) - Date.parse(b);
  if (Number.isNaN(ms)) return 0;
  if (ms !== 0) return ms;
  const fraction = (t: string) => (/\.(\d+)/.exec(t)?.[1] ?? '').padEnd(9, '0');
  return fraction(a).localeCompare(fraction(b));
}

function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

/** The containers of a pod that have a log to read (started), keyed by the container's instance. */
export function loggableContainers(pod: LoggedPod): Array<{ container: string; key: string }> {
  return (pod.status?.containerStatuses ?? [])
    .filter((s) => s.state?.running !== undefined || s.state?.terminated !== undefined)
    .map((s) => ({ container: s.name, key: `${pod.metadata.uid ?? pod.metadata.name}/${s.name}/${s.restartCount ?? 0}` }));
}

async function readWorkload(api: KubeApi & KubeStreamApi, workload: NamedWorkload, options: ServiceLogsOptions): Promise<LogLine[]> {
  const { namespace, signal } = options;
  const pods = await api.request<{ items: LoggedPod[] }>({ method: 'GET', path: podsPath(namespace), query: { labelSelector: workload.selector }, signal });
  const reads = pods.items.flatMap((pod) =>
    loggableContainers(pod).map(async ({ container }) => {
      const lines: LogLine[] = [];
      try {
        const source = podLogs(api, { namespace, pod: pod.metadata.name, container, follow: false, timestamps: true, signal, ...limits(options) });
        for await (const raw of source) lines.push(toLine(workload, pod.metadata.name, container, raw));
      } catch (error) {
        options.onWarning?.(`${workload.name}: cannot read the log of pod ${pod.metadata.name} container ${container}: ${(error as Error).message}`);
      }
      return lines;
    }),
  );
  return (await Promise.all(reads)).flat();
}

async function followWorkload(api: KubeApi & KubeStreamApi, workload: NamedWorkload, options: ServiceLogsOptions): Promise<void> {
  const { namespace, signal } = options;
  const path = podsPath(namespace);
  // The containers running now get --tail / --since; those that start later are read whole.
  const before = await api.request<{ items: LoggedPod[] }>({ method: 'GET', path, query: { labelSelector: workload.selector }, signal });
  const existing = new Set(before.items.flatMap((pod) => loggableContainers(pod).map((c) => c.key)));
  const started = new Set<string>();
  const streams: Array<Promise<void>> = [];

  const follow = async (pod: string, container: string, key: string) => {
    try {
      const source = podLogs(api, { namespace, pod, container, follow: true, timestamps: true, signal, ...(existing.has(key) ? limits(options) : {}) });
      for await (const raw of source) options.onLine(toLine(workload, pod, container, raw));
    } catch (error) {
      if (signal.aborted) return;
      // Tried again on the pod's next change (a container that was not ready to be read yet).
      started.delete(key);
      options.onWarning?.(`${workload.name}: the log of pod ${pod} container ${container} stopped: ${(error as Error).message}`);
    }
  };

  while (!signal.aborted) {
    try {
      for await (const event of watch<LoggedPod>(api, { path, labelSelector: workload.selector, signal })) {
        // A deleted pod's streams end by themselves once its containers stop, with their last lines.
        if (event.type === 'DELETED') continue;
        for (const { container, key } of loggableContainers(event.object)) {
          if (started.has(key)) continue;
          started.add(key);
          streams.push(follow(event.object.metadata.name, container, key));
        }
      }
    } catch (error) {
      if (signal.aborted) break;
      options.onWarning?.(`${workload.name}: watching its pods failed (${(error as Error).message}); trying again`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  await Promise.all(streams);
}

function limits(options: ServiceLogsOptions): { tailLines?: number; sinceSeconds?: number } {
  return {
    ...(options.tailLines === undefined ? {} : { tailLines: options.tailLines }),
    ...(options.sinceSeconds === undefined ? {} : { sinceSeconds: options.sinceSeconds }),
  };
}

function toLine(workload: NamedWorkload, pod: string, container: string, raw: string): LogLine {
  const { time, text } = splitTimestamp(raw);
  return { service: workload.name, label: logLabel(workload.name, container, workload.containers.length), pod, container, time, text };
}
