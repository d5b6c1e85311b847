import { type KubeApi, KubeApiError, type KubeStreamApi } from './kube-api.js';
import { streamLines } from './stream-lines.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What every watched object has; the rest is the caller's to type. */
export interface WatchedObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface WatchEvent<T extends WatchedObject = WatchedObject> {
  type: WatchEventType;
  object: T;
}

export interface WatchOptions {
  /** The collection's path, e.g. /api/v1/namespaces/qed/configmaps (`resourcePath` without a name). */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Ends the watch: the iteration then finishes without an error. */
  signal?: AbortSignal;
}

interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string };
  items: T[];
}

interface Status {
  code?: number;
  reason?: string;
  message?: string;
}

/**
 * The objects of a collection and then each change to them, as an informer sees
 * them: ADDED for every object listed, then the watch's events from the list's
 * resourceVersion. When the server no longer has that version (410 Gone: etcd
 * compacted it while the watch was away), the collection is listed again and only
 * the difference to what was already yielded comes out, so nothing is missed and
 * nothing repeated. A watch the server closes (its timeout) resumes from the last
 * version seen. A failure to reach the server is thrown; `signal` ends it quietly.
 */
export async function* watch<T extends WatchedObject = WatchedObject>(
  api: KubeApi & KubeStreamApi,
  options: WatchOptions,
): AsyncGenerator<WatchEvent<T>> {
  const { path, signal } = options;
  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  // What has been yielded, by object, so a new list can be told apart from it.
  const known = new Map<string, T>();

  async function* relist(): AsyncGenerator<WatchEvent<T>, string | undefined> {
    const list = await api.request<ObjectList<T>>({ method: 'GET', path, query: selectors, ...(signal ? { signal } : {}) });
    // Items of a list carry no kind of their own: the list's names it.
    const kind = list.kind?.replace(/List$/, '');
    const listed = new Set<string>();
    for (const item of list.items) {
      const object = { ...(list.apiVersion ? { apiVersion: list.apiVersion } : {}), ...(kind ? { kind } : {}), ...item };
      const key = keyOf(object);
      const before = known.get(key);
      listed.add(key);
      known.set(key, object);
      if (!before) yield { type: 'ADDED', object };
      else if (before.metadata.resourceVersion !== object.metadata.resourceVersion) yield { type: 'MODIFIED', object };
    }
    for (const [key, object] of known) {
      if (listed.has(key)) continue;
      known.delete(key);
      yield { type: 'DELETED', object };
    }
    return list.metadata.resourceVersion;
  }

  try {
    let version = yield* relist();
    while (!signal?.aborted) {
      let gone = false;
      try {
        const chunks = await api.stream({
          path,
          query: { ...selectors, watch: 'true', allowWatchBookmarks: 'true', resourceVersion: version },
          ...(signal ? { signal } : {}),
        });
        for await (const line of streamLines(chunks)) {
          if (line === '') continue;
          const event = JSON.parse(line) as { type: string; object: T & Status };
          if (event.type === 'ERROR') {
            const status: Status = event.object;
            if (status.code === 410) {
              gone = true;
              break;
            }
            throw new KubeApiError(status.code ?? 500, status.reason ?? 'Error', status.message ?? line, []);
          }
          version = event.object.metadata?.resourceVersion ?? version;
          if (event.type === 'BOOKMARK') continue;
          const key = keyOf(event.object);
          if (event.type === 'DELETED') known.delete(key);
          else known.set(key, event.object);
          yield { type: event.type as WatchEventType, object: event.object };
        }
      } catch (error) {
        if (!(error instanceof KubeApiError && error.status === 410)) throw error;
        gone = true;
      }
      if (gone) version = yield* relist();
    }
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}

function keyOf(object: WatchedObject): string {
  return object.metadata.uid ?? `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
