import { isQedError, type QedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { type ManifestProblem, parseManifestText } from '../load-manifests.js';
import { type MigrateOptions, planMigration } from './plan-migration.js';
import { valueAt } from '../records.js';

const LINUX: MigrateOptions = { dataRoot: '/home/me/qed', hostOs: 'linux' };

/** As early versions of the original project wrote them, for sed to fill in. */
const PWD_PV = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: mongodb-pvolume
spec:
  capacity:
    storage: 1Gi
  hostPath:
    path: {{PWD}}/data/pv-mongodb
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: redis-pvolume
spec:
  hostPath:
    path: "{{ PWD }}/data/pv-redis"
`;

function invalid(run: () => unknown): QedError {
  try {
    run();
  } catch (error) {
    if (isQedError(error)) return error;
    throw error;
  }
  throw new Error('expected a QedError');
}

describe('{{PWD}} placeholders', () => {
  it('fills in a file that is not YAML until they are replaced, and reports each one', () => {
    // The premise: as written, `{{` opens a flow mapping and the file does not parse.
    expect(parseManifestText(PWD_PV, 'old.yml').problems).not.toEqual([]);

    const plan = planMigration([{ path: 'old.yml', text: PWD_PV }], LINUX);
    expect(plan.files[0]?.objects.map((o) => valueAt(o, ['spec', 'hostPath', 'path']))).toEqual([
      '/home/me/qed/data/pv-mongodb',
      '/home/me/qed/data/pv-redis',
    ]);
    expect(plan.changes).toEqual([
      {
        file: 'old.yml',
        line: 9,
        object: 'PersistentVolume mongodb-pvolume',
        change: 'replaced {{PWD}} with /home/me/qed',
      },
      {
        file: 'old.yml',
        line: 17,
        object: 'PersistentVolume redis-pvolume',
        change: 'replaced {{ PWD }} with /home/me/qed',
      },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('pastes the data root as the minikube node sees it on Windows', () => {
    const plan = planMigration([{ path: 'old.yml', text: PWD_PV }], {
      dataRoot: 'C:\\Users\\me\\qed',
      hostOs: 'windows',
    });
    expect(valueAt(plan.files[0]?.objects[0], ['spec', 'hostPath', 'path'])).toBe(
      '/c/Users/me/qed/data/pv-mongodb',
    );
    expect(plan.changes[0]?.change).toBe('replaced {{PWD}} with /c/Users/me/qed');
  });

  it('reports a genuine YAML error after replacement at its line and column in the file the user wrote', () => {
    // The same file, with a stray scalar after the quoted path on line 17.
    const broken = PWD_PV.replace('"{{ PWD }}/data/pv-redis"', '"{{ PWD }}/data/pv-redis" x');
    const error = invalid(() => planMigration([{ path: 'old.yml', text: broken }], LINUX));
    expect(error.code).toBe('MANIFESTS_INVALID');
    // Column 37 of `    path: "{{ PWD }}/data/pv-redis" x`, not the column in the replaced text.
    expect(error.message).toBe('invalid manifests to migrate: old.yml:17:37: Unexpected scalar at node end');
    expect(error.hint).toMatch(/no file was written/);
  });

  it('refuses a data root that would change the YAML it is pasted into', () => {
    const error = invalid(() =>
      planMigration([{ path: 'old.yml', text: PWD_PV }], { dataRoot: '/home/me/a #b', hostOs: 'linux' }),
    );
    expect(error.code).toBe('MANIFESTS_INVALID');
    expect(((error.data?.problems ?? []) as ManifestProblem[]).map((p) => [p.line, p.column])).toEqual([
      [9, 11],
      [17, 12],
    ]);
    expect(error.message).toMatch(/old\.yml:9:11: \{\{PWD\}\} cannot be replaced with "\/home\/me\/a #b"/);
  });
});

describe('problems', () => {
  it('are collected from every file and thrown together; nothing is returned half-migrated', () => {
    const files = [
      { path: 'a.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n labels: {}\n' },
      { path: 'b.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: fine }\n' },
      {
        path: 'c.yaml',
        text: 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec: {}\n',
      },
    ];
    const error = invalid(() => planMigration(files, LINUX));
    expect(error.code).toBe('MANIFESTS_INVALID');
    expect(error.message.split('\n')).toEqual([
      '2 problems in the manifests to migrate:',
      '  a.yaml:5:1: All mapping items must start at the same column',
      expect.stringMatching(
        /^ {2}c\.yaml:7:1 Deployment web spec\.template\.metadata: apps\/v1 requires spec\.selector/,
      ),
    ]);
  });

  it('a data root that is not absolute is refused before anything is read', () => {
    const error = invalid(() => planMigration([], { dataRoot: 'qed/data', hostOs: 'linux' }));
    expect(error.code).toBe('MIGRATE_DATA_ROOT_INVALID');
    expect(error.hint).toContain('--data-root /home/me/qed');
  });
});

describe('the plan', () => {
  it('keeps the base name, with .yaml, and never lets two inputs share an output', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n';
    const plan = planMigration(
      [
        { path: 'a/redis.yml', text },
        { path: 'b/redis.yaml', text },
        { path: 'c/Redis.json', text },
        { path: 'd/redis-2.yml', text },
      ],
      LINUX,
    );
    expect(plan.files.map((f) => [f.source, f.outName])).toEqual([
      ['a/redis.yml', 'redis.yaml'],
      ['b/redis.yaml', 'redis-2.yaml'],
      // Compared without case: on macOS and Windows Redis.yaml would be redis.yaml.
      ['c/Redis.json', 'Redis-3.yaml'],
      ['d/redis-2.yml', 'redis-2-2.yaml'],
    ]);
    expect(plan.warnings).toEqual([
      'b/redis.yaml: written as redis-2.yaml, because another input is also named redis.yaml',
      'c/Redis.json: written as Redis-3.yaml, because another input is also named Redis.yaml',
      'd/redis-2.yml: written as redis-2-2.yaml, because another input is also named redis-2.yaml',
    ]);
  });

  it('keeps a file without objects, so its output exists and its input is known', () => {
    const plan = planMigration([{ path: 'notes.yaml', text: '# nothing here yet\n' }], LINUX);
    expect(plan.files).toEqual([{ source: 'notes.yaml', outName: 'notes.yaml', objects: [], sources: [] }]);
    expect(plan.warnings).toEqual(['notes.yaml: holds no Kubernetes object']);
  });

  it('gives the same plan for the same input, key order included', () => {
    const text =
      'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: { app: web }\n';
    const first = planMigration([{ path: 'w.yaml', text }], LINUX);
    const second = planMigration([{ path: 'w.yaml', text }], LINUX);
    // Sources hold each object's line lookup, a function: compared through what it answers.
    const comparable = (plan: typeof first) => ({
      ...plan,
      files: plan.files.map(({ sources, ...file }) => ({ ...file, lines: sources.map((s) => s.lineOf(['spec', 'template'])) })),
    });
    expect(comparable(second)).toEqual(comparable(first));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});
