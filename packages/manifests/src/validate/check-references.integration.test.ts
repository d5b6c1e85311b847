import { randomUUID } from 'node:crypto';
import { ProcessRunner } from '@qed/core';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseManifestText } from '../load-manifests.js';
import { checkReferences } from './check-references.js';

const deployment = (pod: string, labels = '{ app: web }') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: ${labels} }
    spec:
${pod}`;

/** Each shape the reference checks refuse, written as a user would. */
const REFUSED: Array<[string, string]> = [
  ['a mount naming no volume', deployment('      containers: [{ name: web, image: nginx, volumeMounts: [{ name: nowhere, mountPath: /data }] }]\n')],
  [
    'one path mounted twice',
    deployment('      containers: [{ name: web, image: nginx, volumeMounts: [{ name: d, mountPath: /data }, { name: d, mountPath: /data }] }]\n      volumes: [{ name: d, emptyDir: {} }]\n'),
  ],
  ['a volume name with capitals', deployment('      containers: [{ name: web, image: nginx }]\n      volumes: [{ name: Data, emptyDir: {} }]\n')],
  ['two containers with one name', deployment('      initContainers: [{ name: web, image: busybox }]\n      containers: [{ name: web, image: nginx }]\n')],
  ['a container port name too long', deployment('      containers: [{ name: web, image: nginx, ports: [{ name: http-management-port, containerPort: 80 }] }]\n')],
  ['one container port name twice', deployment('      containers: [{ name: web, image: nginx, ports: [{ name: web, containerPort: 80 }, { name: web, containerPort: 81 }] }]\n')],
  [
    'a StatefulSet whose pod mounts one path twice, with a port name in capitals',
    `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: postgres, ports: [{ name: PG, containerPort: 5432 }], volumeMounts: [{ name: data, mountPath: /a }, { name: data, mountPath: /a }] }]
  volumeClaimTemplates: [{ metadata: { name: data }, spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } } }]
`,
  ],
  [
    'a StatefulSet whose pod mounts a volume it does not define (its claim templates count as volumes)',
    `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: postgres, volumeMounts: [{ name: nowhere, mountPath: /a }] }]
`,
  ],
  ['a selector its template does not match', deployment('      containers: [{ name: web, image: nginx }]\n', '{ app: website }')],
  ['an object name with capitals', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: App_Config }\n'],
  ['a Service name starting with a digit', 'apiVersion: v1\nkind: Service\nmetadata: { name: 1web }\nspec: { ports: [{ port: 80 }] }\n'],
  ['a Service with two unnamed ports', 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { ports: [{ port: 80 }, { port: 81 }] }\n'],
  ['one Service port name twice', 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { ports: [{ name: a, port: 80 }, { name: a, port: 81 }] }\n'],
];

/** Shapes the checks only warn about, because the server accepts them. */
const WARNED: Array<[string, string]> = [
  ['a claim no file of the set creates', deployment('      containers: [{ name: web, image: nginx }]\n      volumes: [{ name: d, persistentVolumeClaim: { claimName: elsewhere } }]\n')],
  ['an empty container port name', deployment('      containers: [{ name: web, image: nginx, ports: [{ name: "", containerPort: 80 }] }]\n')],
];

describeOnTestenv('the reference checks against the real API server: never stricter than it', (connection) => {
  const runner = new ProcessRunner({ env: { ...process.env, KUBECONFIG: connection.KUBECONFIG } });
  const namespace = `qed-refs-${randomUUID().slice(0, 8)}`;
  const serverDryRun = (text: string) =>
    runner.run({ command: 'kubectl', args: ['apply', '--dry-run=server', '--validate=strict', '-n', namespace, '-f', '-'], input: text, timeoutMs: 120_000 });
  const ours = (text: string) => checkReferences(parseManifestText(text, 'shape.yaml').objects);

  beforeAll(async () => {
    expect((await runner.run({ command: 'kubectl', args: ['create', 'namespace', namespace] })).exitCode).toBe(0);
  });
  afterAll(async () => {
    expect((await runner.run({ command: 'kubectl', args: ['delete', 'namespace', namespace, '--wait=false'] })).exitCode).toBe(0);
  });

  it.each(REFUSED)('refused by both: %s', async (_, text) => {
    expect(ours(text).problems.length).toBeGreaterThan(0);
    const server = await serverDryRun(text);
    expect(server.exitCode, server.stdout).not.toBe(0);
    expect(server.stderr).toMatch(/invalid|Invalid|Unsupported|Required|Duplicate|must/);
  });

  it.each(WARNED)('accepted by the server, so only a warning here: %s', async (_, text) => {
    const found = ours(text);
    expect(found.problems).toEqual([]);
    const server = await serverDryRun(text);
    expect(server.exitCode, server.stderr).toBe(0);
    if (!text.includes('name: ""')) expect(found.warnings.length).toBeGreaterThan(0);
  });
});
