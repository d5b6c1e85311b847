import { QedError } from '@qed/core';
import { Discovery, type KubeApi, type KubeRequest } from '@qed/kube';
import { describe, expect, it } from 'vitest';
import type { ContextChange } from './context-watcher.js';
import { type DevEvent, type DevImage, type DevLoopDeps, runDevLoop } from './dev-loop.js';

/**
 * An in-memory API server holding two Deployments (web runs the watched image,
 * db another) and their pods. A Deployment patched to a new image is rolled out
 * at once (a new generation, observed, every replica updated and available), as
 * the controller and kubelet would in the end: these tests are about what the loop
 * asks for, not about the rollout, which the minikube lane test runs for real.
 */
function fakeCluster() {
  const deployments: Record<string, { image: string; generation: number }> = {
    web: { image: '127.0.0.1:5050/web:c-1', generation: 1 },
    db: { image: 'postgres:15', generation: 1 },
  };
  const patches: Array<{ name: string; body: unknown; fieldManager: string | undefined }> = [];
  const deployment = (name: string) => {
    const d = deployments[name] as { image: string; generation: number };
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'qed', generation: d.generation },
      spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: d.image }] } } },
      status: { observedGeneration: d.generation, replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] },
    };
  };
  const api: KubeApi = {
    async request<T>(request: KubeRequest): Promise<T> {
      const { method, path } = request;
      if (path === '/apis/apps/v1') return { resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }] } as T;
      if (path === '/apis/apps/v1/namespaces/qed/deployments') return { items: Object.keys(deployments).map(deployment) } as T;
      if (path === '/apis/apps/v1/namespaces/qed/statefulsets' || path === '/apis/apps/v1/namespaces/qed/daemonsets') return { items: [] } as T;
      if (path === '/api/v1/namespaces/qed/pods') {
        const app = String(request.query?.labelSelector).replace('app=', '');
        return { items: [{ metadata: { name: `${app}-1` }, status: { phase: 'Running' } }] } as T;
      }
      const named = /^\/apis\/apps\/v1\/namespaces\/qed\/deployments\/(\w+)$/.exec(path);
      if (named?.[1] && deployments[named[1]]) {
        const name = named[1];
        if (method === 'PATCH') {
          patches.push({ name, body: request.body, fieldManager: request.query?.fieldManager });
          const image = (request.body as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }).spec.template.spec.containers[0]?.image ?? '';
          deployments[name] = { image, generation: (deployments[name]?.generation ?? 1) + 1 };
        }
        return deployment(name) as T;
      }
      throw new Error(`unexpected request ${method} ${path}`);
    },
  };
  return { api, patches, deployments };
}

const web: DevImage = {
  config: { name: 'web', source: 'example.com/web:latest', context: '/src/web', sync: [{ src: 'site/**', dest: '/srv/site' }] },
  repositories: new Set(['127.0.0.1:5050/web', 'example.com/web']),
};

/** The loop with every effect recorded; `save` hands the watcher a batch as a file save would. */
function loop(options: { build?: DevLoopDeps['build']; copy?: DevLoopDeps['copyIntoContainer'] } = {}) {
  const cluster = fakeCluster();
  const events: DevEvent[] = [];
  const waiters: Array<() => void> = [];
  const builds: string[] = [];
  const copies: Array<{ pod: string; container: string; files: Array<{ source: string; dest: string }> }> = [];
  const saved: Array<[string, string]> = [];
  let onBatch: ((changes: ContextChange[], firstSeenAt: number) => void) | undefined;
  let closed = 0;
  let tick = 0;
  const controller = new AbortController();
  const deps: DevLoopDeps = {
    api: cluster.api,
    discovery: new Discovery(cluster.api),
    namespace: 'qed',
    now: () => tick,
    build:
      options.build ??
      (async (image) => {
        builds.push(image.name);
        tick += 1000;
        return { ref: `127.0.0.1:5050/web:c-${builds.length + 1}`, nodeRef: `127.0.0.1:5050/web:c-${builds.length + 1}`, status: 'built' };
      }),
    copyIntoContainer:
      options.copy ??
      (async (target, files) => {
        copies.push({ pod: target.pod, container: target.container, files: [...files] });
      }),
    saveRef: async (source, ref) => {
      saved.push([source, ref]);
    },
    watch: async (_image, batch) => {
      onBatch = batch;
      return { close: () => closed++ };
    },
    emit: (event) => {
      events.push(event);
      for (const wake of waiters.splice(0)) wake();
    },
  };
  const running = runDevLoop([web], deps, controller.signal);
  return {
    ...cluster,
    events,
    builds,
    copies,
    saved,
    closed: () => closed,
    running,
    stop: () => controller.abort(),
    save: (...files: string[]) => onBatch?.(files.map((file) => ({ file, deleted: false })), tick),
    async cycles(count: number) {
      while (events.filter((e) => e.type === 'cycle').length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return events.filter((e) => e.type === 'cycle');
    },
    async started() {
      while (!events.some((e) => e.type === 'watching')) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

describe('runDevLoop', () => {
  it('a save outside the sync rules: that image rebuilt, its ref saved, only the workload running it set to the new image by its own field manager', async () => {
    const dev = loop();
    await dev.started();
    dev.save('Dockerfile');
    const [cycle] = await dev.cycles(1);
    expect(cycle).toEqual({
      type: 'cycle',
      image: 'web',
      action: 'rebuild',
      status: 'ready',
      ms: 1000,
      // The fake build takes the clock's one second; the fake rollout none.
      phases: { buildMs: 1000, rolloutMs: 0 },
      detail: 'rebuilt 127.0.0.1:5050/web:c-2, rolled out deployment/web',
      workloads: ['deployment/web'],
      ref: '127.0.0.1:5050/web:c-2',
    });
    expect(dev.builds).toEqual(['web']);
    expect(dev.saved).toEqual([['example.com/web:latest', '127.0.0.1:5050/web:c-2']]);
    expect(dev.patches).toEqual([
      {
        name: 'web',
        fieldManager: 'qed-bootstrap-dev',
        body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'qed' }, spec: { template: { spec: { containers: [{ name: 'web', image: '127.0.0.1:5050/web:c-2' }] } } } },
      },
    ]);
    expect(dev.deployments.db?.image).toBe('postgres:15');
    dev.stop();
    await dev.running;
    expect(dev.closed()).toBe(1);
  });

  it('a save the sync rules cover: the files copied into each running container, no build, no rollout', async () => {
    const dev = loop();
    await dev.started();
    dev.save('site/index.html', 'site/css/main.css');
    const [cycle] = await dev.cycles(1);
    expect(cycle).toMatchObject({ action: 'sync', status: 'ready', workloads: ['pod/web-1:web'], detail: 'copied 2 files into 1 container, no rebuild' });
    expect(dev.copies).toEqual([
      {
        pod: 'web-1',
        container: 'web',
        files: [
          { source: '/src/web/site/index.html', dest: '/srv/site/index.html' },
          { source: '/src/web/site/css/main.css', dest: '/srv/site/css/main.css' },
        ],
      },
    ]);
    expect(dev.builds).toEqual([]);
    expect(dev.patches).toEqual([]);
    dev.stop();
    await dev.running;
  });

  it('a copy that fails: said, and the image rebuilt instead', async () => {
    const dev = loop({
      copy: async () => {
        throw new Error('tar: not found');
      },
    });
    await dev.started();
    dev.save('site/index.html');
    const [cycle] = await dev.cycles(1);
    expect(cycle).toMatchObject({ action: 'rebuild', status: 'ready' });
    expect(dev.events.find((e) => e.type === 'change' && e.action === 'rebuild')).toMatchObject({ reason: expect.stringContaining('tar: not found') });
    expect(dev.builds).toEqual(['web']);
    dev.stop();
    await dev.running;
  });

  it('a failed build is reported with its hint, changes nothing in the cluster, and the next save builds again', async () => {
    let attempt = 0;
    const dev = loop({
      build: async () => {
        attempt++;
        if (attempt === 1) throw new QedError('IMAGES_FAILED', 'web: the build failed', { hint: 'Reproduce with `docker build …`.' });
        return { ref: '127.0.0.1:5050/web:c-9', nodeRef: '127.0.0.1:5050/web:c-9', status: 'built' };
      },
    });
    await dev.started();
    dev.save('Dockerfile');
    const [failed] = await dev.cycles(1);
    expect(failed).toMatchObject({ action: 'rebuild', status: 'failed', detail: 'web: the build failed', hint: 'Reproduce with `docker build …`.' });
    expect(dev.patches).toEqual([]);
    dev.save('Dockerfile');
    const [, fixed] = await dev.cycles(2);
    expect(fixed).toMatchObject({ status: 'ready', ref: '127.0.0.1:5050/web:c-9' });
    dev.stop();
    await dev.running;
  });

  it('saves during a cycle are merged into one more cycle after it', async () => {
    let release: () => void = () => undefined;
    let builds = 0;
    const dev = loop({
      build: async () => {
        builds++;
        if (builds === 1) await new Promise<void>((resolve) => (release = resolve));
        return { ref: `127.0.0.1:5050/web:c-${builds + 10}`, nodeRef: `127.0.0.1:5050/web:c-${builds + 10}`, status: 'built' };
      },
    });
    await dev.started();
    dev.save('Dockerfile');
    while (builds === 0) await new Promise((resolve) => setImmediate(resolve));
    dev.save('app.py');
    dev.save('lib.py');
    release();
    await dev.cycles(2);
    expect(builds).toBe(2);
    expect(dev.events.filter((e) => e.type === 'change').map((e) => (e.type === 'change' ? e.files : []))).toEqual([['Dockerfile'], ['app.py', 'lib.py']]);
    dev.stop();
    await dev.running;
  });
});
