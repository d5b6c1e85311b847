import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectCluster, Discovery, type KubeApi } from '@qed/kube';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runApply } from '../apply/run-apply.js';
import { loadManifests } from '../load-manifests.js';
import { formatStatus } from './format-status.js';
import { readStatus } from './read-status.js';
import { describeTeardown, planTeardown, runTeardown } from './teardown.js';

describeOnTestenv('status and down on the real test cluster', (connection) => {
  let api: KubeApi;
  let discovery: Discovery;
  beforeAll(async () => {
    ({ api } = await connectCluster({ kubeconfig: connection.KUBECONFIG }));
    discovery = new Discovery(api);
  });
  const namespace = `qed-status-it-${process.pid}`;
  const pv = `${namespace}-redis`;
  const l = '{ app.kubernetes.io/name: redis, app.kubernetes.io/part-of: qed }';

  afterAll(async () => {
    await api.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
    await api.request({ method: 'DELETE', path: `/api/v1/persistentvolumes/${pv}` }).catch(() => undefined);
  });

  it('reports workloads, services with how to reach them and claims; down keeps data unless purging', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-status-'));
    await writeFile(
      path.join(dir, 'redis.yaml'),
      `apiVersion: v1
kind: Namespace
metadata: { name: ${namespace} }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: ${pv} }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: qed-local
  hostPath: { path: /tmp/${pv} }
  claimRef: { namespace: ${namespace}, name: redis-data }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: redis-data }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: qed-local
  volumeName: ${pv}
  resources: { requests: { storage: 1Gi } }
---
apiVersion: v1
kind: Service
metadata: { name: redis }
spec: { selector: ${l}, ports: [{ port: 6379 }] }
---
apiVersion: v1
kind: Service
metadata: { name: redis-node }
spec: { type: NodePort, selector: ${l}, ports: [{ port: 80, targetPort: 6379 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: redis }
spec:
  selector: { matchLabels: ${l} }
  template:
    metadata: { labels: ${l} }
    spec: { containers: [{ name: redis, image: quanted/redis:latest }] }
`,
    );
    await runApply(api, await loadManifests([dir]), { namespace, wait: true, timeoutMs: 60_000 });

    const status = await readStatus(api, discovery, namespace);
    expect(status).toMatchObject({
      ready: true,
      workloads: [{ kind: 'Deployment', name: 'redis', ready: true, summary: '1/1 available', images: ['quanted/redis:latest'] }],
      services: [
        { name: 'redis', type: 'ClusterIP', reach: [`kubectl port-forward -n ${namespace} svc/redis 6379:6379`] },
        // Not minikube: a NodePort is port-forwarded like any service.
        { name: 'redis-node', type: 'NodePort', reach: [`kubectl port-forward -n ${namespace} svc/redis-node 8080:80`] },
      ],
      claims: [{ name: 'redis-data', phase: 'Bound', volume: pv }],
    });
    // A backend with its own way to some services (minikube's, as @qed/cluster gives it): the others are port-forwarded.
    const viaMinikube = ({ namespace: ns, name, type }: { namespace: string; name: string; type: string }) =>
      type === 'NodePort' ? [`minikube service -p qed -n ${ns} ${name} --url`] : null;
    const onMinikube = await readStatus(api, discovery, namespace, { serviceAccess: viaMinikube });
    expect(onMinikube.services.find((x) => x.name === 'redis-node')?.reach).toEqual([`minikube service -p qed -n ${namespace} redis-node --url`]);
    expect(onMinikube.services.find((x) => x.name === 'redis')?.reach).toEqual([`kubectl port-forward -n ${namespace} svc/redis 6379:6379`]);
    const text = formatStatus(status, (_s, t) => t);
    expect(text).toMatch(/deployment\/redis\s+1\/1 available\s+quanted\/redis:latest/);

    const keep = await planTeardown(api, discovery, namespace, { purge: false });
    expect(describeTeardown(keep)).toEqual({
      remove: [`Deployment ${namespace}/redis`, `Service ${namespace}/redis`, `Service ${namespace}/redis-node`],
      keep: [`PersistentVolumeClaim ${namespace}/redis-data`, `PersistentVolume ${pv}`],
    });
    await runTeardown(api, discovery, keep);
    const after = await readStatus(api, discovery, namespace);
    expect(after.workloads).toEqual([]);
    expect(after.claims.map((c) => c.name)).toEqual(['redis-data']);

    const purge = await planTeardown(api, discovery, namespace, { purge: true });
    expect(describeTeardown(purge).remove).toEqual([`PersistentVolumeClaim ${namespace}/redis-data`, `PersistentVolume ${pv}`, `Namespace ${namespace}`]);
    await runTeardown(api, discovery, purge);
    await expect(api.request({ method: 'GET', path: `/api/v1/persistentvolumes/${pv}` })).rejects.toMatchObject({ status: 404 });
  });
});
