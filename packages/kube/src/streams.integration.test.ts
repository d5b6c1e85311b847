import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpsKubeApi, KubeApiError } from './kube-api.js';
import { connectCluster } from './kubeconfig.js';
import { podLogs } from './pod-logs.js';
import { type WatchedObject, watch } from './watch.js';

interface ConfigMap extends WatchedObject {
  data?: Record<string, string>;
}

async function firstError(lines: AsyncGenerator<string>): Promise<unknown> {
  return lines.next().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describeOnTestenv('streams from the real test cluster', (connection) => {
  const namespace = `qed-streams-it-${process.pid}`;
  let api: HttpsKubeApi;

  beforeAll(async () => {
    ({ api } = await connectCluster({ kubeconfig: connection.KUBECONFIG }));
    await api.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
  });
  afterAll(async () => {
    await api.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
    api.close();
  });

  describe('watch', () => {
    const configMaps = `/api/v1/namespaces/${namespace}/configmaps`;

    it('sees a ConfigMap created, changed and deleted, in that order; aborting ends the iteration', async () => {
      const controller = new AbortController();
      // Only ours: the controller-manager adds kube-root-ca.crt to every namespace.
      const events = watch<ConfigMap>(api, { path: configMaps, fieldSelector: 'metadata.name=settings', signal: controller.signal });
      const next = async () => {
        const { value, done } = await events.next();
        return done ? 'done' : `${value.type} ${value.object.kind} ${value.object.metadata.name} ${JSON.stringify(value.object.data ?? {})}`;
      };

      // Each change waits for the event before it, so none can be folded into the list.
      const added = next();
      await api.request({ method: 'POST', path: configMaps, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'a' } } });
      expect(await added).toBe('ADDED ConfigMap settings {"mode":"a"}');

      const modified = next();
      await api.request({
        method: 'PATCH',
        path: `${configMaps}/settings`,
        contentType: 'application/merge-patch+json',
        body: { data: { mode: 'b' } },
      });
      expect(await modified).toBe('MODIFIED ConfigMap settings {"mode":"b"}');

      const deleted = next();
      await api.request({ method: 'DELETE', path: `${configMaps}/settings` });
      expect(await deleted).toBe('DELETED ConfigMap settings {"mode":"b"}');

      // Nothing more will come: the iteration waits on an open watch until the abort.
      const ended = next();
      controller.abort();
      expect(await ended).toBe('done');
    });

    it('starts with what exists, as ADDED with the kind the list names', async () => {
      await api.request({ method: 'POST', path: configMaps, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'existing' }, data: { k: 'v' } } });
      const controller = new AbortController();
      const seen: string[] = [];
      for await (const event of watch<ConfigMap>(api, { path: configMaps, fieldSelector: 'metadata.name=existing', signal: controller.signal })) {
        seen.push(`${event.type} ${event.object.apiVersion} ${event.object.kind} ${event.object.metadata.name}`);
        controller.abort();
      }
      expect(seen).toEqual(['ADDED v1 ConfigMap existing']);
    });
  });

  // kwok plays the kubelet without running containers, so there is no log to stream:
  // what can be tested here is the request the API server receives and what it
  // answers. A real log stream needs the minikube lane (no suite there yet).
  describe('podLogs, for kwok pods that have no log (the real kubelet log stream needs the minikube lane)', () => {
    it("passes the server's answer for a scheduled pod through: it tried the node's kubelet for that container's followed log", async () => {
      const pods = `/api/v1/namespaces/${namespace}/pods`;
      await api.request({
        method: 'POST',
        path: pods,
        body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'server', image: 'example.invalid/web:1' }] } },
      });
      // The log endpoint needs a node to ask: wait for the scheduler to name one.
      for await (const event of watch(api, { path: pods, fieldSelector: 'metadata.name=web' })) {
        if ((event.object.spec as { nodeName?: string } | undefined)?.nodeName) break;
      }

      const error = await firstError(podLogs(api, { namespace, pod: 'web', container: 'server' }));
      expect(error).toBeInstanceOf(KubeApiError);
      const { status, message } = error as KubeApiError;
      // Whatever answers at the fake node's kubelet address decides the status: nothing
      // (5xx, the URL it dialled in the message), or, when the minikube lane runs beside
      // this one, that real kubelet refusing the API server's anonymous call (401). Either
      // way the pod was found (no 404) and the server's answer came through as an error.
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).not.toBe(404);
      expect(message).not.toBe('');
      if (status >= 500) expect(message).toContain(`/containerLogs/${namespace}/web/server?follow=true`);
    });

    it('throws NotFound for a pod that does not exist', async () => {
      const error = await firstError(podLogs(api, { namespace, pod: 'missing' }));
      expect(error).toBeInstanceOf(KubeApiError);
      expect(error).toMatchObject({ status: 404, reason: 'NotFound' });
    });

    it('ends without a line or an error when aborted before the server answers', async () => {
      const lines: string[] = [];
      for await (const line of podLogs(api, { namespace, pod: 'missing', signal: AbortSignal.abort() })) lines.push(line);
      expect(lines).toEqual([]);
    });
  });
});
