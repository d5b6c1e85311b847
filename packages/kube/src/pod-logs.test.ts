import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpsKubeApi, KubeApiError } from './kube-api.js';
import { podLogs } from './pod-logs.js';

/** A promise and the function that settles it. */
function latch<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

// A tiny server standing in for the API server's log endpoint: the kwok nodes of the
// test environment have no kubelet to stream a log from, and a real one needs the
// minikube lane (which has no podLogs suite yet).
describe('podLogs over a local HTTP server streaming chunks (the real kubelet log stream needs the minikube lane)', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function serve(handler: http.RequestListener): Promise<HttpsKubeApi> {
    server = http.createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new HttpsKubeApi(async () => ({ server: url }), url);
  }

  it('yields each line as it arrives, before the log ends, with the query kubectl logs -f sends', async () => {
    const received = [latch(), latch()];
    const urls: string[] = [];
    const api = await serve(async (req, res) => {
      urls.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('starting\nlisten');
      await received[0]?.promise; // the next chunk only once the first line got through
      res.write('ing on :8080\n');
      await received[1]?.promise;
      res.end('done');
    });

    const lines: string[] = [];
    for await (const line of podLogs(api, { namespace: 'qed', pod: 'web-1', container: 'web', tailLines: 10 })) {
      lines.push(line);
      received[lines.length - 1]?.resolve();
    }
    expect(lines).toEqual(['starting', 'listening on :8080', 'done']);
    expect(urls).toEqual(['/api/v1/namespaces/qed/pods/web-1/log?container=web&follow=true&tailLines=10']);
    api.close();
  });

  it('asks for the lines of the last seconds, with their timestamps, without following', async () => {
    const urls: string[] = [];
    const api = await serve((req, res) => {
      urls.push(req.url ?? '');
      res.end('2026-12-01T10:00:00.000000001Z one\n');
    });
    const lines: string[] = [];
    for await (const line of podLogs(api, { namespace: 'qed', pod: 'web-1', follow: false, sinceSeconds: 300, timestamps: true })) lines.push(line);
    expect(lines).toEqual(['2026-12-01T10:00:00.000000001Z one']);
    expect(urls).toEqual(['/api/v1/namespaces/qed/pods/web-1/log?follow=false&sinceSeconds=300&timestamps=true']);
    api.close();
  });

  it('ends quietly when aborted while the log stays open, and closes the connection', async () => {
    const closed = latch();
    const api = await serve((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first\n');
      req.socket.once('close', () => closed.resolve());
    });
    const controller = new AbortController();
    const lines: string[] = [];
    for await (const line of podLogs(api, { namespace: 'qed', pod: 'web-1', signal: controller.signal })) {
      lines.push(line);
      controller.abort();
    }
    expect(lines).toEqual(['first']);
    await closed.promise;
    api.close();
  });

  it("throws the server's refusal as its KubeApiError", async () => {
    const api = await serve((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'pods "web-1" not found', code: 404 }));
    });
    const error = await podLogs(api, { namespace: 'qed', pod: 'web-1' })
      .next()
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ status: 404, reason: 'NotFound', message: 'pods "web-1" not found' });
    api.close();
  });
});
