import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isQedError, type QedError } from '@qed/core';
import { connectCluster, type KubeApi } from '@qed/kube';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ManifestProblem } from '../load-manifests.js';
import { loadManifests } from '../load-manifests.js';
import { runApply } from './run-apply.js';

const labels = (name: string) => `{ app.kubernetes.io/name: ${name}, app.kubernetes.io/part-of: qed }`;
function deployment(name: string, image: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, labels: ${labels(name)} }
spec:
  replicas: 1
  selector: { matchLabels: ${labels(name)} }
  template:
    metadata: { labels: ${labels(name)} }
    spec:
      containers:
        - name: ${name}
          image: ${image}${extra}
`;
}
function service(name: string, port: number): string {
  return `apiVersion: v1
kind: Service
metadata: { name: ${name}, labels: ${labels(name)} }
spec:
  selector: ${labels(name)}
  ports: [{ port: ${port} }]
`;
}

describeOnTestenv('apply, wait, prune and diagnose on the real test cluster', (connection) => {
  let api: KubeApi;
  beforeAll(async () => {
    ({ api } = await connectCluster({ kubeconfig: connection.KUBECONFIG }));
  });
  const namespace = `qed-apply-it-${process.pid}`;
  const pvName = `${namespace}-redis`;

  async function writeSet(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-apply-'));
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    return dir;
  }
  const STACK = {
    'namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${namespace} }\n`,
    'storage.yaml': `apiVersion: v1
kind: PersistentVolume
metadata: { name: ${pvName}, labels: ${labels('redis')} }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: qed-local
  hostPath: { path: /tmp/${pvName} }
  claimRef: { namespace: ${namespace}, name: redis-data }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: redis-data, labels: ${labels('redis')} }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: qed-local
  volumeName: ${pvName}
  resources: { requests: { storage: 1Gi } }
`,
    'config.yaml': `apiVersion: v1
kind: ConfigMap
metadata: { name: qed-config }
data: { REDIS_HOSTNAME: redis }
`,
    'redis.yaml': `${service('redis', 6379)}---\n${deployment('redis', 'quanted/redis:latest')}`,
    'tomcat.yaml': `${service('tomcat', 80)}---\n${deployment('tomcat', 'quanted/qed-tomcat:latest')}`,
    'postgres.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: postgres, labels: ${labels('postgres')} }
spec:
  serviceName: postgres
  replicas: 1
  selector: { matchLabels: ${labels('postgres')} }
  template:
    metadata: { labels: ${labels('postgres')} }
    spec:
      containers: [{ name: postgres, image: mdillon/postgis:latest }]
`,
  };

  const PATHS: Record<string, (name: string) => string> = {
    Namespace: (n) => `/api/v1/namespaces/${n}`,
    PersistentVolume: (n) => `/api/v1/persistentvolumes/${n}`,
    PersistentVolumeClaim: (n) => `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${n}`,
    ConfigMap: (n) => `/api/v1/namespaces/${namespace}/configmaps/${n}`,
    Service: (n) => `/api/v1/namespaces/${namespace}/services/${n}`,
    Deployment: (n) => `/apis/apps/v1/namespaces/${namespace}/deployments/${n}`,
    StatefulSet: (n) => `/apis/apps/v1/namespaces/${namespace}/statefulsets/${n}`,
  };
  async function resourceVersionOf(applied: { kind: string; name: string }): Promise<string> {
    const path = PATHS[applied.kind]?.(applied.name) ?? '';
    const live = await api.request<{ metadata: { resourceVersion: string } }>({ method: 'GET', path });
    return live.metadata.resourceVersion;
  }

  afterAll(async () => {
    await api.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
    await api.request({ method: 'DELETE', path: `/api/v1/persistentvolumes/${pvName}` }).catch(() => undefined);
  });

  it('applies the set in tiers, waits until everything is ready, and a re-apply changes nothing', async () => {
    const objects = await loadManifests([await writeSet(STACK)]);
    const first = await runApply(api, objects, { namespace, wait: true, timeoutMs: 90_000 });
    expect(first.applied.every((a) => a.action === 'created')).toBe(true);
    expect(first.plan.tiers.map((t) => t.name)).toEqual(['namespaces', 'storage', 'config', 'services', 'workloads']);
    expect(first.wait?.notReady).toEqual([]);
    expect(first.wait?.ready.map((r) => r.object).sort()).toEqual([
      `Deployment ${namespace}/redis`,
      `Deployment ${namespace}/tomcat`,
      `PersistentVolumeClaim ${namespace}/redis-data`,
      `StatefulSet ${namespace}/postgres`,
    ]);

    // Controllers have written status since; what a no-op must keep is the version read just before it.
    const versionsBefore = await Promise.all(first.applied.map((a) => resourceVersionOf(a)));
    const second = await runApply(api, objects, { namespace });
    expect(second.applied.map((a) => a.action)).toEqual(first.applied.map(() => 'unchanged'));
    expect(second.applied.map((a) => a.resourceVersion)).toEqual(versionsBefore);
  });

  it('prunes a service dropped from the set, after confirmation', async () => {
    const { 'tomcat.yaml': _dropped, ...rest } = STACK;
    const objects = await loadManifests([await writeSet(rest)]);
    const asked: string[][] = [];
    const result = await runApply(api, objects, {
      namespace,
      prune: true,
      confirmPrune: async (names) => {
        asked.push(names);
        return true;
      },
    });
    expect(asked).toEqual([[`Deployment ${namespace}/tomcat`, `Service ${namespace}/tomcat`]]);
    expect(result.pruned).toEqual(asked[0]);
    const left = await api.request<{ items: unknown[] }>({ method: 'GET', path: `/apis/apps/v1/namespaces/${namespace}/deployments`, query: { labelSelector: 'app.kubernetes.io/name=tomcat' } });
    expect(left.items).toEqual([]);
    // Data stays: claims and volumes are never pruned.
    await expect(api.request({ method: 'GET', path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims/redis-data` })).resolves.toBeTruthy();
  });

  it('diagnoses a broken image and an unbindable claim when they do not get ready', async () => {
    const objects = await loadManifests([
      await writeSet({
        'broken.yaml': deployment('broken', 'unreachable.invalid/quanted/qed-django:nope'),
        'claim.yaml': `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: orphan }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: qed-no-such-class
  resources: { requests: { storage: 1Gi } }
`,
      }),
    ]);
    // Neither ever gets ready, so the wait lasts its whole timeout: long enough for kwok
    // to report the pull failure on a loaded machine, short enough to keep the suite quick.
    const result = await runApply(api, objects, { namespace, wait: true, timeoutMs: 30_000 });
    const byObject = Object.fromEntries((result.wait?.notReady ?? []).map((d) => [d.object, d]));
    expect(byObject[`Deployment ${namespace}/broken`]).toMatchObject({
      reason: 'ImagePull',
      message: expect.stringContaining('ErrImagePull for image unreachable.invalid/quanted/qed-django:nope'),
      hint: expect.stringContaining('Check the image name and tag'),
    });
    expect(byObject[`PersistentVolumeClaim ${namespace}/orphan`]).toMatchObject({
      reason: 'PvcUnbound',
      message: expect.stringContaining('storageclass.storage.k8s.io "qed-no-such-class" not found'),
    });
  });

  it('rejects invalid input before applying anything, naming file, object and field', async () => {
    const fresh = `${namespace}-never`;
    const dir = await writeSet({
      'a-namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${fresh} }\n`,
      'b-type.yaml': deployment('typed', 'quanted/redis:latest').replace('replicas: 1', 'replicas: two'),
      'c-unknown-field.yaml': deployment('extra', 'quanted/redis:latest', '\n          imagePullPolicey: Always'),
      'd-kind.yaml': 'apiVersion: qed.example/v1\nkind: Widget\nmetadata: { name: w }\n',
      'e-legacy.yaml': deployment('old', 'quanted/redis:latest').replace('apps/v1', 'extensions/v1beta1'),
    });
    const objects = await loadManifests([dir]);
    const error = (await runApply(api, objects, { namespace: fresh }).catch((e: unknown) => e)) as QedError;
    expect(isQedError(error, 'MANIFESTS_INVALID')).toBe(true);
    const problems = (error.data?.problems ?? []) as ManifestProblem[];
    const summary = problems.map((p) => `${path.basename(p.file)}:${p.line} ${p.object} ${p.field ?? ''}: ${p.message}`).sort();
    expect(summary).toEqual([
      expect.stringMatching(/^b-type\.yaml:5 Deployment typed spec\.replicas: must be integer, not the string "two"$/),
      expect.stringMatching(/^c-unknown-field\.yaml:13 Deployment .*extra spec\.template\.spec\.containers\[0\]\.imagePullPolicey: unknown field/),
      expect.stringMatching(/^d-kind\.yaml:2 Widget w kind: unknown kind Widget in qed\.example\/v1/),
      expect.stringMatching(/^e-legacy\.yaml:1 Deployment old apiVersion: extensions\/v1beta1 Deployment is no longer served .*manifests migrate/),
    ]);
    // Nothing was applied, not even the namespace that came first.
    await expect(api.request({ method: 'GET', path: `/api/v1/namespaces/${fresh}` })).rejects.toMatchObject({ status: 404 });
  });

  it('--dry-run reports what would change and changes nothing', async () => {
    const objects = await loadManifests([await writeSet({ 'web.yaml': deployment('web', 'quanted/qed_nginx:latest') })]);
    const result = await runApply(api, objects, { namespace, dryRun: true });
    expect(result.applied).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'web', action: 'created', dryRun: true })]);
    await expect(api.request({ method: 'GET', path: `/apis/apps/v1/namespaces/${namespace}/deployments/web` })).rejects.toMatchObject({ status: 404 });
  });
});
