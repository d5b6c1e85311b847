import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultQedConfig, isQedError, type QedError, ProcessRunner } from '@qed/core';
import { type ClusterConnection, connectCluster, type KubeApi, type KubeRequest } from '@qed/kube';
import { loadManifests } from '@qed/manifests';
import { type PrivateApiServer, startPrivateApiServer } from 'testenv';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, expect, it } from 'vitest';
import type { AnyBootstrapStep, BootstrapDeps, BootstrapInput } from './pipeline-types.js';
import { runBootstrap } from './run-bootstrap.js';
import { BOOTSTRAP_STEPS } from './steps/index.js';
import { standInDone } from './__fixtures__/stand-in-steps.js';

interface LiveObject {
  kind: string;
  metadata: { name: string; uid: string; resourceVersion: string; generation?: number; namespace?: string };
  spec?: unknown;
}

/** The collections the QED set lands in: kind -> list path (cluster-scoped ones filtered by name below). */
const COLLECTIONS = (ns: string): Record<string, string> => ({
  Namespace: '/api/v1/namespaces',
  PersistentVolume: '/api/v1/persistentvolumes',
  PersistentVolumeClaim: `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
  ConfigMap: `/api/v1/namespaces/${ns}/configmaps`,
  Secret: `/api/v1/namespaces/${ns}/secrets`,
  Service: `/api/v1/namespaces/${ns}/services`,
  Deployment: `/apis/apps/v1/namespaces/${ns}/deployments`,
  StatefulSet: `/apis/apps/v1/namespaces/${ns}/statefulsets`,
});

describeOnTestenv('the API server restarts in the middle of the apply step', (connection) => {
  let server: PrivateApiServer | undefined;
  afterAll(async () => {
    await server?.dispose();
  });

  it('the run fails naming the apply step; the same command resumes at apply and completes: every object once, those applied before untouched', async () => {
    // A private API server, so that stopping it disturbs no other suite (see startPrivateApiServer).
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-apply-restart-'));
    server = await startPrivateApiServer(connection, dir);
    const apiServer = server;
    const cwd = path.join(dir, 'project');
    await mkdir(cwd);
    const namespace = 'qed-restart';
    const input: BootstrapInput = {
      config: { ...defaultQedConfig(cwd), dataRoot: path.join(cwd, 'data') },
      target: { kind: 'context', context: apiServer.context },
      namespace,
      profile: 'local',
      consent: false,
      fixDockerConfig: false,
    };

    // The hook: once the first Service has really been applied (not a dry run), the API
    // server begins to stop before that answer is handed back, and stays stopping (a
    // request of its own held open, see beginStop): the rest of the apply meets a server
    // that answers "shutting down" (429), as requests meet a server restarting behind a
    // load balancer. What a request meets depends on when it comes, so the moment is
    // fixed: requests go one at a time, and none is inside the server when it begins to
    // stop. (One that is, a Service waiting for its ClusterIP, ends in a 504 after its
    // timeout: CLUSTER_UNAVAILABLE too, but later. One sent once the port has closed
    // fails in the transport: CLUSTER_UNREACHABLE, which names no object.)
    let stopping: Promise<{ finish(): Promise<void> }> | null = null;
    const isApply = (request: KubeRequest) => request.method === 'PATCH' && request.query?.dryRun === undefined;
    const connect = async (context: string): Promise<ClusterConnection> => {
      const real = await connectCluster({ kubeconfig: apiServer.kubeconfig, context });
      let turn: Promise<unknown> = Promise.resolve();
      const api: KubeApi = {
        request<T>(request: KubeRequest): Promise<T> {
          const mine = turn.then(async () => {
            const answer = await real.api.request<T>(request);
            if (stopping === null && isApply(request) && request.path.includes('/services/')) {
              stopping = apiServer.beginStop();
              await stopping;
            }
            return answer;
          });
          turn = mine.catch(() => undefined);
          return mine;
        },
      };
      return { ...real, api };
    };
    const deps: BootstrapDeps = { cwd, homeDir: cwd, env: {}, runner: new ProcessRunner(), connect };
    // The steps before manifests need a container engine and a registry, and have nothing
    // to do with this: they stand in as done. Manifests (render, the server's dry run) and
    // apply are the real steps.
    const steps: AnyBootstrapStep[] = BOOTSTRAP_STEPS.map((step) => (step.id === 'manifests' || step.id === 'apply' ? step : standInDone(step)));
    const options = { renderer: 'silent' as const, steps, to: 'apply' as const };

    const first = await runBootstrap(input, deps, options);
    expect(stopping, 'the API server was never stopped: no Service was applied').not.toBeNull();
    expect(first.status).toBe('failed');
    expect(first.failed?.step).toBe('apply');
    // The server's "shutting down" (429) is CLUSTER_UNAVAILABLE naming the object it did not take,
    // with the hint to run the same command again; never APPLY_FAILED (blaming the object) or a bug.
    const error = first.failed?.error as QedError;
    expect(isQedError(error, 'CLUSTER_UNAVAILABLE'), String(error)).toBe(true);
    expect(error.message).toMatch(/^the API server did not take \w+ qed-restart\/[\w.-]+: 429 .*The apiserver is shutting down/s);
    expect(error.data).toMatchObject({ object: expect.stringMatching(/^\w+ qed-restart\/[\w.-]+$/), status: 429 });
    expect(error.hint).toContain('run the same command again');
    const code = error.code;
    expect(first.resume).toContain('resumes at apply');
    expect(first.steps.find((s) => s.id === 'manifests')?.status).toBe('succeeded');
    expect(JSON.parse(await readFile(first.stateFile, 'utf8'))).toMatchObject({ finished: ['doctor', 'cluster', 'registry', 'docker-config', 'images', 'manifests'], failed: { step: 'apply', code } });

    // (A cast: TypeScript does not see the assignment inside the hook.)
    await (await (stopping as Promise<{ finish(): Promise<void> }> | null))?.finish();
    await apiServer.start();
    const live = await connectCluster({ kubeconfig: apiServer.kubeconfig, context: apiServer.context });
    const rendered = (await loadManifests([path.join(cwd, '.qed', 'manifests')])).map((o) => `${o.object.kind}/${o.object.metadata.name}`).sort();
    const kinds = [...new Set(rendered.map((key) => key.split('/')[0] as string))];
    expect(Object.keys(COLLECTIONS(namespace))).toEqual(expect.arrayContaining(kinds));
    /** Every object of the set's kinds: in the namespace, and the namespace and volumes the set names. */
    const listLive = async () => {
      const objects: LiveObject[] = [];
      for (const kind of kinds) {
        const listPath = COLLECTIONS(namespace)[kind] as string;
        const list = await live.api.request<{ items: LiveObject[] }>({ method: 'GET', path: listPath });
        // Cluster-scoped kinds hold the server's own objects too (default, kube-system …): only the set's.
        const inNamespace = listPath.includes(`/namespaces/${namespace}/`);
        const items = inNamespace ? list.items : list.items.filter((item) => rendered.includes(`${kind}/${item.metadata.name}`));
        objects.push(...items.map((item) => ({ ...item, kind })));
      }
      return new Map(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
    };
    const before = await listLive();
    // Applied before the stop: the namespace, storage and config tiers and at least one Service; no workload.
    expect(before.size).toBeGreaterThan(0);
    expect(before.size).toBeLessThan(rendered.length);
    expect([...before.keys()].some((key) => key.startsWith('Service/'))).toBe(true);
    expect([...before.keys()].some((key) => key.startsWith('Deployment/') || key.startsWith('StatefulSet/'))).toBe(false);

    const second = await runBootstrap(input, deps, options);
    expect(second.status, String(second.failed?.error)).toBe('succeeded');
    expect(second.selection.resumedFrom).toBe('apply');
    expect(second.steps.filter((s) => s.status === 'done-in-previous-run').map((s) => s.id)).toEqual(['doctor', 'cluster', 'registry', 'docker-config', 'images', 'manifests']);
    // A claim is written once more by the first apply after its creation even when nothing in
    // it differs (kubectl apply --server-side does the same, with no restart: its
    // resourceVersion moves once, then stays); a cluster's volume controller binds it first.
    // So claims are the same object with the same spec; everything else is not written again.
    const claims = [...before.keys()].filter((key) => key.startsWith('PersistentVolumeClaim/'));
    expect(claims.length).toBeGreaterThan(0);
    expect(second.steps.find((s) => s.id === 'apply')?.detail).toBe(
      `${before.size - claims.length} unchanged, ${claims.length} configured, ${rendered.length - before.size} created in namespace ${namespace}`,
    );

    const after = await listLive();
    // Every object of the set exactly once, and nothing else of those kinds in the namespace.
    expect([...after.keys()].sort()).toEqual(rendered);
    for (const [key, object] of before) {
      const now = after.get(key);
      // The same object (uid), not deleted and made again.
      expect(now?.metadata.uid, key).toBe(object.metadata.uid);
      if (claims.includes(key)) expect(now?.spec, key).toEqual(object.spec);
      else expect(now?.metadata.resourceVersion, `${key} was written again`).toBe(object.metadata.resourceVersion);
    }
    for (const [key, object] of after) expect(object.metadata.generation ?? 1, key).toBe(1);
  });
});

