import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isQedError, QED_SERVICES, type QedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import type { ManifestProblem } from '../load-manifests.js';
import { hostFolderProblem, loadBase } from './load-base.js';

const MANIFESTS_DIR = fileURLToPath(new URL('../../../../manifests', import.meta.url));

/** A copy of the real manifests with one base file's text changed. */
async function manifestsWith(file: string, edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-base-'));
  await cp(MANIFESTS_DIR, dir, { recursive: true });
  const target = path.join(dir, 'base', file);
  await writeFile(target, edit(await readFile(target, 'utf8')));
  return dir;
}

async function problemsOf(dir: string): Promise<ManifestProblem[]> {
  const error = (await loadBase(dir).then(
    () => null,
    (e: unknown) => e,
  )) as QedError | null;
  if (!isQedError(error, 'MANIFESTS_INVALID'))
    throw new Error(`expected MANIFESTS_INVALID, got ${String(error)}`);
  return ((error.data?.problems ?? []) as ManifestProblem[]).map((p) => ({
    ...p,
    file: path.relative(dir, p.file),
  }));
}

const REDIS_DEPLOYMENT_VOLUMES = `      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: redis-data
`;

describe('loadBase', () => {
  it('reads one file per service, in the guide’s order', async () => {
    const base = await loadBase(MANIFESTS_DIR);
    expect(base.map((s) => s.service)).toEqual([...QED_SERVICES]);
    expect(
      base
        .find((s) => s.service === 'django')
        ?.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`),
    ).toEqual(['Service/qed-django', 'PersistentVolumeClaim/django-data', 'Deployment/django']);
  });

  it.each([
    [
      'a namespace',
      (t: string) => t.replace('  name: redis-data\n', '  name: redis-data\n  namespace: qed\n'),
      {
        line: 24,
        object: 'PersistentVolumeClaim qed/redis-data',
        field: 'metadata.namespace',
        message: 'leave the namespace out: render sets it',
      },
    ],
    [
      'a missing label',
      (t: string) =>
        t.replace(
          '    app.kubernetes.io/managed-by: qed-bootstrap\nspec:\n  selector:',
          'spec:\n  selector:',
        ),
      {
        line: 7,
        field: 'metadata.labels',
        message: 'needs the labels app.kubernetes.io/managed-by=qed-bootstrap',
      },
    ],
    [
      'a selector on another label',
      (t: string) =>
        t.replace('  selector:\n    app.kubernetes.io/name: redis\n', '  selector:\n    app: redis\n'),
      {
        line: 12,
        field: 'spec.selector',
        message: 'selector must be exactly app.kubernetes.io/name=redis, app.kubernetes.io/part-of=qed',
      },
    ],
    [
      'a storage class on a claim',
      (t: string) => t.replace('      storage: 1Gi\n', '      storage: 1Gi\n  storageClassName: standard\n'),
      { field: 'spec.storageClassName', message: 'leave storageClassName out: the profile sets it' },
    ],
    [
      'an absolute host folder',
      (t: string) =>
        t.replace(
          REDIS_DEPLOYMENT_VOLUMES,
          `${REDIS_DEPLOYMENT_VOLUMES}        - name: x\n          hostPath:\n            path: /var/lib/redis\n`,
        ),
      {
        field: 'spec.template.spec.volumes[1].hostPath.path',
        message:
          'host folders are written relative to the data root (e.g. source/static_qed), not "/var/lib/redis"',
      },
    ],
    [
      'a claim from another file',
      (t: string) => t.replace('            claimName: redis-data\n', '            claimName: django-data\n'),
      {
        field: 'spec.template.spec.volumes[0].persistentVolumeClaim.claimName',
        message: expect.stringMatching(/^no PersistentVolumeClaim django-data in this file/),
      },
    ],
    [
      'a literal password',
      (t: string) =>
        t.replace(
          '          ports:\n            - name: redis\n',
          '          env:\n            - name: REDIS_PASSWORD\n              value: hunter2\n          ports:\n            - name: redis\n',
        ),
      {
        field: 'spec.template.spec.containers[0].env[0].value',
        message:
          'REDIS_PASSWORD looks like a credential: take it from qed-secrets with secretKeyRef, never a literal value',
      },
    ],
    [
      'another Secret',
      (t: string) =>
        t.replace(
          '          ports:\n            - name: redis\n',
          '          env:\n            - name: REDIS_PASSWORD\n              valueFrom:\n                secretKeyRef: { name: redis-auth, key: password }\n          ports:\n            - name: redis\n',
        ),
      {
        field: 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef',
        message: 'secrets come from the one Secret qed-secrets, not redis-auth',
      },
    ],
    [
      'a whole Secret as environment',
      (t: string) =>
        t.replace(
          '          ports:\n            - name: redis\n',
          '          envFrom:\n            - secretRef: { name: qed-secrets }\n          ports:\n            - name: redis\n',
        ),
      {
        field: 'spec.template.spec.containers[0].envFrom[0]',
        message: expect.stringMatching(/^take secrets key by key/),
      },
    ],
  ])('locates %s', async (_, edit, expected) => {
    const problems = await problemsOf(await manifestsWith('redis.yaml', edit));
    expect(problems).toEqual([
      expect.objectContaining({ file: path.join('base', 'redis.yaml'), ...expected }),
    ]);
  });

  it('allows a switch whose name merely sounds secret', async () => {
    const dir = await manifestsWith('redis.yaml', (t) =>
      t.replace(
        '          ports:\n            - name: redis\n',
        '          env:\n            - name: PASSWORD_REQUIRED\n              value: "False"\n          ports:\n            - name: redis\n',
      ),
    );
    expect((await loadBase(dir)).map((s) => s.service)).toHaveLength(QED_SERVICES.length);
  });

  it('names files that are no service and services that have no file', async () => {
    const dir = await manifestsWith('redis.yaml', (t) => t);
    await rm(path.join(dir, 'base', 'tomcat.yaml'));
    await writeFile(
      path.join(dir, 'base', 'mysql.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n',
    );
    const problems = await problemsOf(dir);
    expect(problems.map((p) => [p.file, p.message.split(':')[0]])).toEqual([
      [path.join('base', 'mysql.yaml'), 'not a QED service'],
      [path.join('base', 'tomcat.yaml'), 'missing'],
    ]);
  });
});

describe('hostFolderProblem', () => {
  it.each(['source/static_qed', 'nginx-certs', 'a/b/c'])('accepts %s', (p) => {
    expect(hostFolderProblem(p)).toBeNull();
  });
  it.each(['/etc', 'C:/data', 'a\\b', '../up', 'a/../b', 'a//b', './a', ''])('refuses %j', (p) => {
    expect(hostFolderProblem(p)).toMatch(/host folder/);
  });
});
