import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isQedError } from '@qed/core';
import { describeOnMinikubeLane } from 'testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V4_PROTOCOL, V5_PROTOCOL } from './channel-frames.js';
import { copyIntoContainer } from './copy-into-container.js';
import { ExecFailure, runInContainer } from './exec-stream.js';
import { type HttpsKubeApi, KubeApiError } from './kube-api.js';
import { connectCluster } from './kubeconfig.js';
import { listenPortForward, type PortForwardListener } from './port-forward.js';
import { type WatchedObject, watch } from './watch.js';

interface Pod extends WatchedObject {
  status?: { conditions?: Array<{ type: string; status: string }> };
}

/**
 * Exec, copy and port-forward over WebSockets against the real minikube lane: its
 * kubelet runs the Debian services image's nginx (with tar, coreutils and dash)
 * and the stand-in image (a single static binary: no tar, no shell).
 */
describeOnMinikubeLane('exec, copy and port-forward over WebSockets on a real minikube', (lane, testenv) => {
  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const namespace = `qed-kube-mk-${tag}`;
  const env = { ...process.env, ...lane, DOCKER_HOST: testenv.DOCKER_HOST };
  const sh = (command: string, args: string[]) => spawnSync(command, args, { env, encoding: 'utf8', timeout: 300_000 });
  let api: HttpsKubeApi;
  let dir = '';

  /** The lane's archive, loaded into the engine and pushed where the node pulls from. */
  const push = (archive: string, image: string, name: string) => {
    const loaded = sh('docker', ['load', '-i', archive]);
    expect(loaded.status, loaded.stderr).toBe(0);
    const ref = `${lane.QED_TEST_MINIKUBE_REGISTRY}/qed-kube-mk/${name}:${tag}`;
    expect(sh('docker', ['tag', image, ref]).status).toBe(0);
    const pushed = sh('docker', ['push', ref]);
    expect(pushed.status, pushed.stderr).toBe(0);
    return ref;
  };

  const pod = (name: string, image: string, extra: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name, image, ...extra }] },
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'qed-kube-mk-'));
    const services = push(lane.QED_TEST_SERVICES_ARCHIVE, lane.QED_TEST_SERVICES_IMAGE, 'services');
    const standin = push(lane.QED_TEST_STANDIN_ARCHIVE, lane.QED_TEST_STANDIN_IMAGE, 'standin');
    ({ api } = await connectCluster({ kubeconfig: lane.KUBECONFIG }));
    await api.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
    const pods = `/api/v1/namespaces/${namespace}/pods`;
    await api.request({
      method: 'POST',
      path: pods,
      body: pod('web', services, { command: ['/usr/local/bin/qed-nginx'], ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 } }),
    });
    await api.request({ method: 'POST', path: pods, body: pod('bare', standin, { env: [{ name: 'QED_STANDIN_PORTS', value: '8080' }] }) });
    // Both Ready: the watch waits for the kubelet's word (bounded by the hook's timeout).
    const ready = new Set<string>();
    for await (const event of watch<Pod>(api, { path: pods })) {
      if (event.object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready.add(event.object.metadata.name);
      if (ready.has('web') && ready.has('bare')) break;
    }
  });

  afterAll(async () => {
    await api?.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
    api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const web = () => ({ namespace, pod: 'web', container: 'web' });

  describe('exec', () => {
    it('runs echo and reads its stdout and exit code 0, over v5', async () => {
      const result = await runInContainer(api, { ...web(), command: ['echo', 'hello from exec'] });
      expect(result).toMatchObject({ exitCode: 0, protocol: V5_PROTOCOL });
      expect(result.stdout.toString()).toBe('hello from exec\n');
      expect(result.stderr.toString()).toBe('');
    });

    it("reads a failing command's exit code and stderr", async () => {
      const result = await runInContainer(api, { ...web(), command: ['sh', '-c', 'echo to-stderr >&2; exit 3'] });
      expect(result.exitCode).toBe(3);
      expect(result.stderr.toString()).toBe('to-stderr\n');
    });

    it("closes stdin with v5's close signal: cat gets a MiB of input back and ends", async () => {
      const input = randomBytes(1024 * 1024);
      const result = await runInContainer(api, { ...web(), command: ['cat'], input });
      expect(result.exitCode).toBe(0);
      expect(result.stdout.equals(input)).toBe(true);
    });

    it('falls back to v4 when only v4 is offered', async () => {
      const result = await runInContainer(api, { ...web(), command: ['sh', '-c', 'echo v4; exit 5'], protocols: [V4_PROTOCOL] });
      expect(result).toMatchObject({ exitCode: 5, protocol: V4_PROTOCOL });
      expect(result.stdout.toString()).toBe('v4\n');
    });

    it('a program the image does not have is an ExecFailure saying so', async () => {
      const error = await runInContainer(api, { ...web(), command: ['no-such-program'] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExecFailure);
      expect((error as Error).message).toMatch(/no-such-program.*(executable file not found|no such file)/);
    });

    it("a pod that does not exist is the server's 404", async () => {
      const error = await runInContainer(api, { namespace, pod: 'missing', command: ['true'] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeApiError);
      expect(error).toMatchObject({ status: 404 });
    });
  });

  describe('copyIntoContainer', () => {
    it('copies files to their destinations with their modes; exec cat reads them back (v5, then v4)', async () => {
      const page = path.join(dir, 'page.html');
      const script = path.join(dir, 'tool.sh');
      await writeFile(page, '<p>copied</p>\n');
      await writeFile(script, '#!/bin/sh\necho tool ran\n');
      await chmod(page, 0o640);
      await chmod(script, 0o755);
      await copyIntoContainer(api, web(), [
        { source: page, dest: '/srv/qed-copy/page.html' },
        { source: script, dest: '/srv/qed-copy/deep/er/tool.sh' },
      ]);
      const cat = await runInContainer(api, { ...web(), command: ['cat', '/srv/qed-copy/page.html'] });
      expect(cat.stdout.toString()).toBe('<p>copied</p>\n');
      const modes = await runInContainer(api, { ...web(), command: ['stat', '-c', '%a %n', '/srv/qed-copy/page.html', '/srv/qed-copy/deep/er/tool.sh'] });
      expect(modes.stdout.toString()).toBe('640 /srv/qed-copy/page.html\n755 /srv/qed-copy/deep/er/tool.sh\n');
      expect((await runInContainer(api, { ...web(), command: ['/srv/qed-copy/deep/er/tool.sh'] })).stdout.toString()).toBe('tool ran\n');

      // v4 cannot close stdin: tar ends at the archive's end marker all the same.
      await writeFile(page, '<p>copied again</p>\n');
      await copyIntoContainer(api, web(), [{ source: page, dest: '/srv/qed-copy/page.html' }], { protocols: [V4_PROTOCOL] });
      expect((await runInContainer(api, { ...web(), command: ['cat', '/srv/qed-copy/page.html'] })).stdout.toString()).toBe('<p>copied again</p>\n');
    });

    it('into an image without tar: an error naming pod and container, that the image has no tar, and the fix', async () => {
      const file = path.join(dir, 'x.txt');
      await writeFile(file, 'x');
      const error = await copyIntoContainer(api, { namespace, pod: 'bare', container: 'bare' }, [{ source: file, dest: '/tmp/x.txt' }]).catch((e: unknown) => e);
      expect(isQedError(error, 'KUBE_COPY_NO_TAR'), String(error)).toBe(true);
      expect((error as Error).message).toContain('pod bare container bare');
      expect((error as Error).message).toContain('the image has no tar');
      expect((error as { hint?: string }).hint).toBe('Rebuild instead (leave these files out of images[].sync), or add tar to the image.');
    });
  });

  describe('port-forward', () => {
    let forward: PortForwardListener | undefined;
    const errors: Error[] = [];
    afterAll(async () => {
      await forward?.close();
    });

    it('serves nginx on 127.0.0.1, one WebSocket per connection, several at once', async () => {
      forward = await listenPortForward(api, { port: 0, target: async () => ({ namespace, pod: 'web', port: 80 }), onError: (e) => errors.push(e) });
      const get = async (page: string) => {
        const res = await fetch(`http://127.0.0.1:${forward?.port}/${page}`, { headers: { connection: 'close' } });
        return `${res.status} ${await res.text()}`;
      };
      expect(await get('hello')).toBe('200 qed-testenv nginx: /hello\n');
      const pages = ['a', 'b', 'c', 'd', 'e'];
      expect(await Promise.all(pages.map(get))).toEqual(pages.map((p) => `200 qed-testenv nginx: /${p}\n`));
      expect(errors).toEqual([]);
    });

    it("a port nothing listens on in the pod: the connection is closed and the kubelet's error reported", async () => {
      const reported: Error[] = [];
      const closed = await listenPortForward(api, { port: 0, target: async () => ({ namespace, pod: 'web', port: 81 }), onError: (e) => reported.push(e) });
      try {
        const failed = await fetch(`http://127.0.0.1:${closed.port}/`).then(
          () => 'answered',
          () => 'failed',
        );
        expect(failed).toBe('failed');
        // The error comes on its channel as the connection closes; give the event loop its turns (bounded).
        for (let i = 0; i < 300 && reported.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
        expect(reported[0]?.message).toMatch(/^pod web port 81: .*(refused|81)/);
      } finally {
        await closed.close();
      }
    });
  });
});
