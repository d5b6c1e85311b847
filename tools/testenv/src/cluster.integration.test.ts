import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProcessRunner } from '@qed/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAKE_NODE_NAMES } from './control-plane.js';
import { describeOnTestenv } from './vitest.js';

describeOnTestenv('the test cluster (kube-apiserver + kwok)', (connection) => {
  const runner = new ProcessRunner({ env: { ...process.env, KUBECONFIG: connection.KUBECONFIG } });
  const namespace = `qed-testenv-it-${process.pid}`;
  const kubectl = (...args: string[]) => runner.run({ command: 'kubectl', args: ['-n', namespace, ...args], timeoutMs: 120_000 });
  const applyYaml = async (yaml: string, ...extra: string[]) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-it-'));
    const file = path.join(dir, 'objects.yaml');
    await writeFile(file, yaml);
    return kubectl('apply', '-f', file, ...extra);
  };

  beforeAll(async () => {
    expect((await kubectl('create', 'namespace', namespace)).exitCode).toBe(0);
  });
  afterAll(async () => {
    await runner.run({ command: 'kubectl', args: ['delete', 'namespace', namespace, '--wait=false'] });
    await runner.run({ command: 'kubectl', args: ['delete', 'pv', `${namespace}-data`, '--wait=false'] });
  });

  it('lists the fake nodes Ready', async () => {
    const result = await kubectl('get', 'nodes', '-o', 'json');
    const nodes = JSON.parse(result.stdout).items as Array<{ metadata: { name: string }; status: { conditions: Array<{ type: string; status: string }> } }>;
    const ready = nodes
      .filter((n) => n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((n) => n.metadata.name);
    expect(ready).toEqual(expect.arrayContaining([...FAKE_NODE_NAMES]));
    expect(ready.length).toBeGreaterThanOrEqual(2);
  });

  it('rolls out a Deployment of 2 replicas with pods Running and Ready', async () => {
    const applied = await applyYaml(`apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: quanted/qed_nginx:latest
          ports: [{ containerPort: 80 }]
`);
    expect(applied.stderr).toBe('');
    const rollout = await kubectl('rollout', 'status', 'deployment/web', '--timeout=90s');
    expect(rollout.stdout).toContain('successfully rolled out');
    const pods = JSON.parse((await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json')).stdout).items as Array<{
      status: { phase: string; conditions: Array<{ type: string; status: string }> };
    }>;
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.status.phase).toBe('Running');
      expect(pod.status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    }
  });

  it('binds a PVC to a static hostPath PV and readies a StatefulSet using it', async () => {
    const applied = await applyYaml(`apiVersion: v1
kind: PersistentVolume
metadata: { name: ${namespace}-data }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  persistentVolumeReclaimPolicy: Retain
  hostPath: { path: /tmp/${namespace}/data, type: DirectoryOrCreate }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  resources: { requests: { storage: 1Gi } }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 1
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers:
        - name: db
          image: mdillon/postgis:latest
          volumeMounts: [{ name: data, mountPath: /var/lib/postgresql/data }]
      volumes:
        - name: data
          persistentVolumeClaim: { claimName: data }
`);
    expect(applied.exitCode).toBe(0);
    const bound = await kubectl('wait', '--for=jsonpath={.status.phase}=Bound', 'pvc/data', '--timeout=60s');
    expect(bound.exitCode).toBe(0);
    const claim = JSON.parse((await kubectl('get', 'pvc', 'data', '-o', 'json')).stdout);
    expect(claim.spec.volumeName).toBe(`${namespace}-data`);
    const rollout = await kubectl('rollout', 'status', 'statefulset/db', '--timeout=90s');
    expect(rollout.exitCode).toBe(0);
    const set = JSON.parse((await kubectl('get', 'statefulset', 'db', '-o', 'json')).stdout);
    expect(set.status.readyReplicas).toBe(1);
  });

  it('gives a Service a ClusterIP from the service range', async () => {
    const applied = await applyYaml(`apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
`);
    expect(applied.exitCode).toBe(0);
    const ip = (await kubectl('get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    expect(ip).toMatch(/^10\.(9[6-9]|1[01][0-9])\.\d+\.\d+$/);
  });

  it('rejects an invalid object on server-side dry-run with the API message', async () => {
    const result = await applyYaml(
      `apiVersion: apps/v1
kind: Deployment
metadata: { name: broken }
spec:
  replicas: -1
  selector: { matchLabels: { app: broken } }
  template:
    metadata: { labels: { app: other } }
    spec:
      containers: [{ name: c, image: x }]
`,
      '--dry-run=server',
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(result.stderr).toContain('spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`');
    const exists = await kubectl('get', 'deployment', 'broken');
    expect(exists.exitCode).not.toBe(0);
  });
});
