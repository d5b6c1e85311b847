import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommandResult, ZxCommandRunner } from '@qed/core';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { splitApiVersion } from '../kube-object.js';
import { parseManifestText } from '../load-manifests.js';
import { planMigration } from './plan-migration.js';
import { readMigrationInputs } from './read-migration-inputs.js';
import { writeMigration } from './write-migration.js';

const CORPUS = fileURLToPath(new URL('../../../../../shared/corpus/qed_kube/', import.meta.url));

describeOnTestenv('manifests migrate against the real API server (server-side dry run)', (connection) => {
  const runner = new ZxCommandRunner({ env: { ...process.env, KUBECONFIG: connection.KUBECONFIG } });
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
});
