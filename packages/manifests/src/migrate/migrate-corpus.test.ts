import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import { parseManifestText } from '../load-manifests.js';
import { type MigrationPlan, planMigration } from './plan-migration.js';
import { readMigrationInputs } from './read-migration-inputs.js';
import { valueAt } from '../records.js';
import { formatMigratedFile } from './write-migration.js';

/**
 * The original project's manifests (quanted/qed_kube, latest version), as every
 * developer and CI run has them at ../shared beside the repository.
 */
const CORPUS = fileURLToPath(new URL('../../../../../shared/corpus/qed_kube/', import.meta.url));
const DATA_ROOT = '/home/me/.qed';

describe('the qed_kube corpus', () => {
  let inputs: Array<{ path: string; text: string }>;
  let plan: MigrationPlan;
  beforeAll(async () => {
    inputs = await readMigrationInputs([CORPUS]);
    plan = planMigration(inputs, { dataRoot: DATA_ROOT, hostOs: 'linux' });
  });
  const fileNamed = (name: string) => plan.files.find((f) => path.basename(f.source) === name);

  it('reads every manifest of the folder, leaving out docker-compose.yml', async () => {
    // docker-compose.yml sits beside the manifests but is a Compose file, not
    // Kubernetes objects; migrating the folder must skip it rather than fail on it.
    const all = (await readdir(CORPUS)).filter((f) => f.endsWith('.yml')).sort();
    expect(all).toContain('docker-compose.yml');
    expect(inputs.map((i) => path.basename(i.path))).toEqual(all.filter((f) => f !== 'docker-compose.yml'));
  });

  it('migrates every file without problems or warnings, one output per input', () => {
    expect(plan.files).toHaveLength(inputs.length);
    expect(plan.files.every((f) => f.objects.length === 1)).toBe(true);
    expect(new Set(plan.files.map((f) => f.outName)).size).toBe(inputs.length);
    expect(plan.warnings).toEqual([]);
  });

  it('leaves no removed API version, no workload without a selector and no relative hostPath', () => {
    const objects = plan.files.flatMap((f) => f.objects);
    expect(new Set(objects.map((o) => o.apiVersion))).toEqual(new Set(['v1', 'apps/v1']));
    for (const o of objects.filter((o) => o.apiVersion === 'apps/v1')) {
      expect(valueAt(o, ['spec', 'selector', 'matchLabels']), o.metadata.name).toEqual(
        valueAt(o, ['spec', 'template', 'metadata', 'labels']),
      );
    }
    const hostPaths = objects.flatMap(hostPathsOf);
    expect(hostPaths.length).toBeGreaterThan(10);
    for (const p of hostPaths) expect(p).toMatch(/^\/home\/me\/\.qed\/[\w-]/);
  });

  it('qed-django-deployment.yml: apiVersion, selector and each relative hostPath, at their lines', () => {
    const file = path.join(CORPUS, 'qed-django-deployment.yml');
    expect(plan.changes.filter((c) => c.file === file)).toEqual(
      [
        [1, 'apiVersion extensions/v1beta1 -> apps/v1'],
        [14, 'added spec.selector.matchLabels {app: qed-django} from the pod template labels'],
        [42, 'hostPath data/collected-static -> /home/me/.qed/data/collected-static'],
        [46, 'hostPath templates_qed -> /home/me/.qed/templates_qed'],
        [50, 'hostPath static_qed -> /home/me/.qed/static_qed'],
        [54, 'hostPath data/django-secrets -> /home/me/.qed/data/django-secrets'],
        [58, 'hostPath data/app-data -> /home/me/.qed/data/app-data'],
      ].map(([line, change]) => ({ file, line, object: 'Deployment qed-django', change })),
    );
  });

  it('keeps the objects that were already current exactly as they were, without a change entry', () => {
    const untouched = inputs.filter((i) => !plan.changes.some((c) => c.file === i.path));
    for (const input of untouched) {
      const parsed = parseManifestText(input.text, input.path).objects.map((o) => o.object);
      const migrated = plan.files.find((f) => f.source === input.path)?.objects;
      // Key order included: the written file reads like the input.
      expect(JSON.stringify(migrated), input.path).toBe(JSON.stringify(parsed));
    }
    expect(untouched.map((i) => path.basename(i.path))).toEqual([
      'celery-flower-service.yml',
      'cts-nodejs-service.yml',
      'dask-scheduler-service.yml',
      'hms-dotnetcore-service.yml',
      'mongodb-persistentVolumeClaim1.yml',
      'mongodb-service.yml',
      'mongodb-statefulset.yml',
      'postgres-persistentVolumeClaim1.yml',
      'postgres-service.yml',
      'postgres-statefulset.yml',
      'qed-django-service.yml',
      'qed-flask-service.yml',
      'qed-nginx-service.yml',
      'redis-persistentVolumeClaim1.yml',
      'redis-service.yml',
    ]);
    // Already apps/v1: only its relative hostPaths change.
    expect(
      plan.changes.filter((c) => path.basename(c.file) === 'qed-nginx-deployment.yml').map((c) => c.change),
    ).toEqual([
      'hostPath data/nginx-certs -> /home/me/.qed/data/nginx-certs',
      'hostPath static_qed -> /home/me/.qed/static_qed',
    ]);
  });

  it('qed-tomcat-service.yml: the port name the API server always refused', () => {
    expect(plan.changes.filter((c) => path.basename(c.file) === 'qed-tomcat-service.yml')).toEqual([
      expect.objectContaining({
        line: 9,
        object: 'Service qed-tomcat-service',
        change: expect.stringMatching(/^Service port name HTTP -> http /),
      }),
    ]);
  });

  it('writes YAML a person can read and diff: the selector before the template, paths on the node', () => {
    const worker = fileNamed('dask-worker-deployment.yml');
    expect(worker && formatMigratedFile(worker)).toMatchInlineSnapshot(`
      "# Migrated from dask-worker-deployment.yml by qed-bootstrap manifests migrate.
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: dask-worker
        name: dask-worker
      spec:
        replicas: 1
        strategy:
          type: Recreate
        selector:
          matchLabels:
            app: dask-worker
        template:
          metadata:
            labels:
              app: dask-worker
          spec:
            containers:
              - env:
                  - name: IN_DOCKER
                    value: "True"
                  - name: PYTHONPATH
                    value: /src:/src/qed
                image: quanted/qed-dask
                name: dask-worker
                command:
                  - dask-worker
                  - dask-scheduler:8786
                volumeMounts:
                  - mountPath: /src
                    name: qed-django
            hostname: dask-worker
            restartPolicy: Always
            volumes:
              - hostPath:
                  path: /home/me/.qed/qed_django
                name: qed-django
      "
    `);
    const pv = fileNamed('mongodb-persistentVolume1.yml');
    expect(pv && formatMigratedFile(pv)).toMatchInlineSnapshot(`
      "# Migrated from mongodb-persistentVolume1.yml by qed-bootstrap manifests migrate.
      apiVersion: v1
      kind: PersistentVolume
      metadata:
        name: mongodb-pvolume
      spec:
        capacity:
          storage: 1Gi
        volumeMode: Filesystem
        accessModes:
          - ReadWriteOnce
        persistentVolumeReclaimPolicy: Recycle
        storageClassName: mongodb-pv1
        hostPath:
          path: /home/me/.qed/data/pv-mongodb
      "
    `);
  });

  it('resolves against a Windows data root as minikube mounts it', () => {
    const windows = planMigration(inputs, { dataRoot: 'C:\\Users\\me\\qed', hostOs: 'windows' });
    const hostPaths = windows.files.flatMap((f) => f.objects).flatMap(hostPathsOf);
    expect(hostPaths).toContain('/c/Users/me/qed/data/pv-mongodb');
    for (const p of hostPaths) expect(p).toMatch(/^\/c\/Users\/me\/qed\//);
  });
});

function hostPathsOf(object: KubeObject): string[] {
  if (object.kind === 'PersistentVolume')
    return [valueAt(object, ['spec', 'hostPath', 'path'])].filter((p) => typeof p === 'string');
  const volumes = valueAt(object, ['spec', 'template', 'spec', 'volumes']);
  return (Array.isArray(volumes) ? volumes : [])
    .map((v) => valueAt(v, ['hostPath', 'path']))
    .filter((p) => typeof p === 'string');
}
