import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommandResult, ProcessRunner } from '@qed/core';
import { connectCluster, Discovery } from '@qed/kube';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { splitApiVersion } from '../kube-object.js';
import { formatProblem, parseManifestText } from '../load-manifests.js';
import { planMigration } from './plan-migration.js';
import { readMigrationInputs } from './read-migration-inputs.js';
import { validateMigration } from './validate-migration.js';
import { writeMigration } from './write-migration.js';

const CORPUS = fileURLToPath(new URL('../../../../../shared/corpus/qed_kube/', import.meta.url));
/** Our own files in the shapes of the original project's broken manifests. */
const BROKEN = fileURLToPath(new URL('./__fixtures__/broken-legacy/', import.meta.url));

describeOnTestenv('manifests migrate against the real API server (server-side dry run)', (connection) => {
  const runner = new ProcessRunner({ env: { ...process.env, KUBECONFIG: connection.KUBECONFIG } });
  const kubectl = (...args: string[]): Promise<CommandResult> =>
    runner.run({ command: 'kubectl', args, timeoutMs: 120_000 });
  const namespace = `qed-migrate-${randomUUID().slice(0, 8)}`;
  let inputs: Array<{ path: string; text: string }>;
  const folders: string[] = [];
  const tempFolder = async (prefix: string) => {
    const folder = await mkdtemp(path.join(os.tmpdir(), prefix));
    folders.push(folder);
    return folder;
  };

  beforeAll(async () => {
    inputs = await readMigrationInputs([CORPUS]);
    const created = await kubectl('create', 'namespace', namespace);
    expect(created.exitCode, created.stderr).toBe(0);
  });

  afterAll(async () => {
    // Dry runs persist nothing; the namespace is the only thing this suite created.
    const deleted = await kubectl('delete', 'namespace', namespace, '--wait=false');
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('the migrated corpus is accepted: every object passes admission, validation and strict field checks', async () => {
    const plan = planMigration(inputs, { dataRoot: '/home/me/.qed', hostOs: 'linux' });
    const out = await tempFolder('qed-migrated-');
    await writeMigration(plan, out);

    const result = await kubectl(
      'apply',
      '--dry-run=server',
      '--validate=strict',
      '-f',
      out,
      '-n',
      namespace,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const objects = plan.files.flatMap((f) => f.objects);
    expect(lines).toHaveLength(objects.length);
    for (const object of objects) {
      const { group } = splitApiVersion(object.apiVersion);
      // kubectl names each object as kind[.group]/name, e.g. deployment.apps/qed-django.
      const named = `${object.kind.toLowerCase()}${group ? `.${group}` : ''}/${object.metadata.name}`;
      expect(lines, named).toContain(`${named} created (server dry run)`);
    }
  });

  it('the same corpus un-migrated is rejected by the same dry run: migrate is what makes the difference', async () => {
    // The manifests as they are, without docker-compose.yml (not Kubernetes objects,
    // and kubectl would fail on it for that reason alone).
    const raw = await tempFolder('qed-unmigrated-');
    for (const input of inputs) await copyFile(input.path, path.join(raw, path.basename(input.path)));

    const result = await kubectl(
      'apply',
      '--dry-run=server',
      '--validate=strict',
      '-f',
      raw,
      '-n',
      namespace,
    );
    expect(result.exitCode).not.toBe(0);
    const legacy = inputs
      .flatMap((i) => parseManifestText(i.text, i.path).objects)
      .filter((o) => o.object.apiVersion === 'extensions/v1beta1')
      .map((o) => o.object.metadata.name);
    expect(legacy.length).toBeGreaterThan(5);
    const refused = result.stderr
      .split('\n')
      .filter((l) => l.includes('no matches for kind "Deployment" in version "extensions/v1beta1"'));
    expect(refused.map((l) => /name: "([^"]+)"/.exec(l)?.[1]).sort()).toEqual(legacy.sort());
  });

  /**
   * Every migrated file either passes the server's strict dry run, or was refused
   * with a location: migrate never writes a file the server then rejects.
   */
  async function migrateAndCheck(folder: string) {
    const { api } = await connectCluster({ kubeconfig: connection.KUBECONFIG });
    const target = { api, discovery: new Discovery(api) };
    const planned = planMigration(await readMigrationInputs([folder]), { dataRoot: '/home/me/.qed', hostOs: 'linux', keepGoing: true });
    const { plan, checkedOnServer } = await validateMigration(planned, { target, namespace });
    expect(checkedOnServer).toBe(true);
    for (const problem of plan.refused.flatMap((r) => r.problems)) {
      expect(problem.line, formatProblem(problem)).toBeGreaterThan(0);
      expect(problem.object, formatProblem(problem)).toBeTruthy();
    }
    const out = await tempFolder('qed-migrated-');
    const written = await writeMigration(plan, out);
    expect(written).toHaveLength(plan.files.length);
    const result = await kubectl('apply', '--dry-run=server', '--validate=strict', '-f', out, '-n', namespace);
    expect(result.exitCode, result.stderr).toBe(0);
    return plan;
  }

  it('the corpus: every migrated file passes the server dry run, none refused', async () => {
    const plan = await migrateAndCheck(CORPUS);
    expect(plan.refused).toEqual([]);
    expect(plan.files).toHaveLength(inputs.length);
  });

  it('broken files in the shapes of the early originals: the repaired ones pass the server, the rest are refused at their lines', async () => {
    const plan = await migrateAndCheck(BROKEN);
    expect(plan.files.map((f) => path.basename(f.source))).toEqual([
      'mongodb-persistentVolume1.yml',
      'mongodb-persistentVolumeClaim1.yml',
      'mongodb-statefulset.yml',
    ]);
    expect(plan.refused.flatMap((r) => r.problems.map((p) => `${path.basename(p.file)}:${p.line} ${p.field}`))).toEqual([
      'qed-flask-deployment.yml:20 spec.template.spec.containers[0].ports[0].containerPort',
      'qed-django-deployment.yml:23 spec.template.spec.containers[0].volumeMounts[1].mountPath',
      'qed-django-deployment.yml:24 spec.template.spec.containers[0].volumeMounts[2].name',
    ]);
  });

  it('the same broken files as they are: the server refuses each shape the checks refuse (the checks are not stricter than the server)', async () => {
    for (const [file, refusal] of [
      ['qed-flask-deployment.yml', /containerPort/],
      ['mongodb-persistentVolume1.yml', /mongodb-pVolume.*(lowercase|RFC 1123)/s],
      ['mongodb-persistentVolumeClaim1.yml', /qed-django-pVolume-claim1.*(lowercase|RFC 1123)/s],
    ] as const) {
      const result = await kubectl('apply', '--dry-run=server', '-f', path.join(BROKEN, file), '-n', namespace);
      expect(result.exitCode, file).not.toBe(0);
      expect(result.stderr, file).toMatch(refusal);
    }
    // The Deployment's shapes, in apps/v1 so that only they are in the way.
    const django = (await readFile(path.join(BROKEN, 'qed-django-deployment.yml'), 'utf8'))
      .replace('extensions/v1beta1', 'apps/v1')
      .replace('spec:\n  replicas: 1', 'spec:\n  selector: { matchLabels: { app: qed-django } }\n  replicas: 1');
    const folder = await tempFolder('qed-unmigrated-');
    await writeFile(path.join(folder, 'django.yml'), django);
    const result = await kubectl('apply', '--dry-run=server', '-f', path.join(folder, 'django.yml'), '-n', namespace);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/volumeMounts\[1\]\.mountPath: Invalid value: "\/src\/collected_static": must be unique/);
    expect(result.stderr).toMatch(/volumeMounts\[2\]\.name: Not found: "django-pvolume"/);
  });
});
