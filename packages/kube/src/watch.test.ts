import { describe, expect, it } from 'vitest';
import { type KubeApi, KubeApiError, type KubeRequest, type KubeStreamApi, type KubeStreamRequest } from './kube-api.js';
import { type WatchEvent, watch } from './watch.js';

const PATH = '/api/v1/namespaces/qed/configmaps';
const cm = (name: string, resourceVersion: string) => ({ metadata: { name, namespace: 'qed', uid: `uid-${name}`, resourceVersion } });
const list = (resourceVersion: string, ...items: Array<ReturnType<typeof cm>>) => ({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion }, items });
const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;

/**
 * An in-memory API server: answers the lists and watches it is given, in order, and
 * records the queries. A watch with nothing left to send stays open until aborted,
 * as a real one does.
 */
function scriptedApi(lists: unknown[], watches: Array<string[] | KubeApiError>) {
  const watchQueries: Array<KubeStreamRequest['query']> = [];
  let idle!: () => void;
  const waiting = new Promise<void>((resolve) => {
    idle = resolve;
  });
  const api: KubeApi & KubeStreamApi = {
    async request<T>(request: KubeRequest): Promise<T> {
      expect(request.path).toBe(PATH);
      const next = lists.shift();
      if (!next) throw new Error('no list left');
      return next as T;
    },
    async stream(request: KubeStreamRequest): Promise<AsyncIterable<Buffer>> {
      watchQueries.push(request.query);
      const next = watches.shift();
      if (next instanceof KubeApiError) throw next;
      return (async function* () {
        for (const chunk of next ?? []) yield Buffer.from(chunk);
        if (next) return;
        idle();
        await new Promise((resolve) => request.signal?.addEventListener('abort', resolve));
      })();
    },
  };
  return { api, watchQueries, waiting };
}

/** The events until the server has nothing more to send; then the watch is aborted, and must end. */
async function eventsOf({ api, waiting }: ReturnType<typeof scriptedApi>): Promise<string[]> {
  const controller = new AbortController();
  void waiting.then(() => controller.abort());
  const events: string[] = [];
  for await (const event of watch(api, { path: PATH, signal: controller.signal }) as AsyncGenerator<WatchEvent>) {
    events.push(`${event.type} ${event.object.kind ?? '?'} ${event.object.metadata.name}@${event.object.metadata.resourceVersion}`);
  }
  return events;
}

describe('watch (an in-memory API server)', () => {
  it('yields what the list holds as ADDED, with the kind the list names, then the events from its version', async () => {
    const server = scriptedApi(
      [list('10', cm('a', '5'))],
      [[line('ADDED', { kind: 'ConfigMap', ...cm('b', '11') }), line('BOOKMARK', { kind: 'ConfigMap', metadata: { resourceVersion: '12' } }), line('DELETED', { kind: 'ConfigMap', ...cm('a', '13') })]],
    );
    expect(await eventsOf(server)).toEqual(['ADDED ConfigMap a@5', 'ADDED ConfigMap b@11', 'DELETED ConfigMap a@13']);
    expect(server.watchQueries[0]).toMatchObject({ watch: 'true', allowWatchBookmarks: 'true', resourceVersion: '10' });
  });

  it('resumes a watch the server closed from the last version seen, bookmarks included', async () => {
    const server = scriptedApi(
      [list('10')],
      [[line('ADDED', { kind: 'ConfigMap', ...cm('a', '11') }), line('BOOKMARK', { kind: 'ConfigMap', metadata: { resourceVersion: '15' } })], [line('MODIFIED', { kind: 'ConfigMap', ...cm('a', '16') })]],
    );
    expect(await eventsOf(server)).toEqual(['ADDED ConfigMap a@11', 'MODIFIED ConfigMap a@16']);
    expect(server.watchQueries.map((q) => q?.resourceVersion)).toEqual(['10', '15', '16']);
  });

  it('after 410 Gone in the stream, lists again and yields only the difference: changed, new and gone objects', async () => {
    const server = scriptedApi(
      [list('10', cm('a', '1'), cm('b', '2'), cm('c', '3')), list('20', cm('a', '11'), cm('b', '12'), cm('d', '14'))],
      [[line('MODIFIED', { kind: 'ConfigMap', ...cm('a', '11') }), line('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 10 (18)' })]],
    );
    expect(await eventsOf(server)).toEqual([
      'ADDED ConfigMap a@1',
      'ADDED ConfigMap b@2',
      'ADDED ConfigMap c@3',
      'MODIFIED ConfigMap a@11',
      'MODIFIED ConfigMap b@12',
      'ADDED ConfigMap d@14',
      'DELETED ConfigMap c@3',
    ]);
    expect(server.watchQueries.map((q) => q?.resourceVersion)).toEqual(['10', '20']);
  });

  it('after a 410 answer to the watch itself, lists again', async () => {
    const server = scriptedApi([list('10', cm('a', '1')), list('20', cm('a', '1'), cm('b', '19'))], [new KubeApiError(410, 'Expired', 'too old resource version', [])]);
    expect(await eventsOf(server)).toEqual(['ADDED ConfigMap a@1', 'ADDED ConfigMap b@19']);
    expect(server.watchQueries.map((q) => q?.resourceVersion)).toEqual(['10', '20']);
  });

  it('throws any other error event as a KubeApiError', async () => {
    const server = scriptedApi([list('10')], [[line('ERROR', { kind: 'Status', code: 500, reason: 'InternalError', message: 'etcd is down' })]]);
    await expect(eventsOf(server)).rejects.toMatchObject({ status: 500, reason: 'InternalError', message: 'etcd is down' });
  });
});
