import type { KubeStreamApi } from './kube-api.js';
import { streamLines } from './stream-lines.js';

export interface PodLogsOptions {
  namespace: string;
  pod: string;
  /** Which container; the server asks for it when the pod has more than one. */
  container?: string;
  /** Keep reading as the container writes (default); false reads what is there and ends. */
  follow?: boolean;
  /** Only this many of the lines written before the call. */
  tailLines?: number;
  /** Only the lines written in the last this many seconds. */
  sinceSeconds?: number;
  /** Each line starts with the time the runtime stamped it with (RFC 3339). */
  timestamps?: boolean;
  /** Ends the log: the iteration then finishes without an error. */
  signal?: AbortSignal;
}

/**
 * A container's log, line by line, as the kubelet streams it through the API
 * server (`kubectl logs -f`). The server's refusal (no such pod, a container not
 * started, a node it cannot reach) is thrown as its KubeApiError on the first
 * iteration; the iteration ends with the log, or quietly when `signal` aborts.
 */
export async function* podLogs(api: KubeStreamApi, options: PodLogsOptions): AsyncGenerator<string> {
  const { signal } = options;
  let chunks: AsyncIterable<Buffer>;
  try {
    chunks = await api.stream({
      path: `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods/${encodeURIComponent(options.pod)}/log`,
      query: {
        container: options.container,
        follow: String(options.follow ?? true),
        tailLines: options.tailLines === undefined ? undefined : String(options.tailLines),
        sinceSeconds: options.sinceSeconds === undefined ? undefined : String(options.sinceSeconds),
        timestamps: options.timestamps ? 'true' : undefined,
      },
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  }
  yield* streamLines(chunks);
}
