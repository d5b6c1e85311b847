import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isQedError } from '@qed/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { valueAt } from '../records.js';
import { type MigrationPlan, planMigration } from './plan-migration.js';
import { readMigrationInputs } from './read-migration-inputs.js';
import { validateMigration } from './validate-migration.js';

/** Our own files in the shapes that made about one original manifest in ten fail at apply time. */
const BROKEN = fileURLToPath(new URL('./__fixtures__/broken-legacy/', import.meta.url));
const OPTIONS = { dataRoot: '/home/me/qed', hostOs: 'linux' as const };

describe('migrate validates what it would write (offline: schema and references)', () => {
  let plan: MigrationPlan;
  beforeAll(async () => {
    const inputs = await readMigrationInputs([BROKEN]);
    plan = (await validateMigration(planMigration(inputs, { ...OPTIONS, keepGoing: true }), { namespace: 'qed' })).plan;
  });
  const named = (file: string) => path.join(BROKEN, file);
  const objectOf = (file: string) => plan.files.find((f) => f.source === named(file))?.objects[0];

  it('refuses the files it cannot repair, each problem at its file, line, object and field, with what to do', () => {
    expect(plan.refused.map((r) => [path.basename(r.source), r.problems.map((p) => `${p.line} ${p.object} ${p.field}: ${p.message}`)])).toEqual([
      [
        'qed-flask-deployment.yml',
        ['20 Deployment qed-flask spec.template.spec.containers[0].ports[0].containerPort: must be integer, not the string "http"'],
      ],
      [
        'qed-django-deployment.yml',
        [
          '23 Deployment qed-django spec.template.spec.containers[0].volumeMounts[1].mountPath: volumeMounts[1] mounts at /src/collected_static, as volumeMounts[0] already does: a path takes one mount; remove one or give it another path',
          '24 Deployment qed-django spec.template.spec.containers[0].volumeMounts[2].name: volumeMounts[2] names volume django-pvolume, which the pod does not define: add it under volumes or remove the mount',
        ],
      ],
    ]);
  });

  it('renames names with capitals and "_", and every reference to them across files', () => {
    expect(plan.files.map((f) => path.basename(f.source))).toEqual([
      'mongodb-persistentVolume1.yml',
      'mongodb-persistentVolumeClaim1.yml',
      'mongodb-statefulset.yml',
    ]);
    expect(objectOf('mongodb-persistentVolume1.yml')?.metadata.name).toBe('mongodb-pvolume');
    const claim = objectOf('mongodb-persistentVolumeClaim1.yml');
    expect([claim?.metadata.name, valueAt(claim, ['spec', 'volumeName'])]).toEqual(['qed-django-pvolume-claim1', 'mongodb-pvolume']);
    const statefulSet = objectOf('mongodb-statefulset.yml');
    const pod = ['spec', 'template', 'spec'];
    expect(valueAt(statefulSet, [...pod, 'volumes', 0])).toEqual({
      name: 'mongodb-data',
      persistentVolumeClaim: { claimName: 'qed-django-pvolume-claim1' },
    });
    expect(valueAt(statefulSet, [...pod, 'containers', 0, 'volumeMounts', 0, 'name'])).toBe('mongodb-data');
    const changes = (file: string) => plan.changes.filter((c) => c.file === named(file)).map((c) => `${c.line} ${c.change}`);
    expect(changes('mongodb-persistentVolumeClaim1.yml')).toEqual([
      '5 PersistentVolumeClaim name qed-django-pVolume-claim1 -> qed-django-pvolume-claim1 (the server refuses capitals and "_" in names; every reference to it here is renamed with it)',
      '8 volumeName mongodb-pVolume -> mongodb-pvolume (follows the renamed PersistentVolume)',
    ]);
    expect(changes('mongodb-statefulset.yml')).toEqual([
      '9 label version 3 -> "3" (the server takes only strings here)',
      '25 env MONGO_PORT value 27017 -> "27017" (the server takes only strings here)',
      '27 env MONGO_QUIET value true -> "true" (the server takes only strings here)',
      '34 claimName qed-django-pVolume-claim1 -> qed-django-pvolume-claim1 (follows the renamed PersistentVolumeClaim)',
      '32 volume name mongodb_Data -> mongodb-data (volume names must be lower case; the mounts naming it are renamed with it)',
      '29 volumeMount name mongodb_Data -> mongodb-data (follows the renamed volume)',
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('without --keep-going, planning alone already refuses, with every problem found so far and nothing planned', () => {
    const text = `apiVersion: v1
kind: PersistentVolume
metadata: { name: Data }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: data }
`;
    const error = (() => {
      try {
        planMigration([{ path: 'pv.yml', text }], OPTIONS);
      } catch (e) {
        return e;
      }
    })();
    expect(isQedError(error, 'MANIFESTS_INVALID')).toBe(true);
    expect((error as Error).message).toBe(
      'invalid manifests to migrate: pv.yml:3:1 PersistentVolume Data metadata.name: Data is not a valid PersistentVolume name, and its lower-case form data is already the name of another PersistentVolume: rename one of them',
    );
  });
});
