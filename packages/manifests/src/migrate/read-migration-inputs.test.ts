import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isQedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { planMigration } from './plan-migration.js';
import { isComposeFileName, readMigrationInputs } from './read-migration-inputs.js';

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-migrate-in-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('readMigrationInputs', () => {
  it('expands folders in name order, skips the Compose files in them and reads each file once', async () => {
    const dir = await folder({
      'redis-service.yml': 'kind: Service\n',
      'docker-compose.yml': 'services: {}\n',
      'compose.override.yaml': 'services: {}\n',
      'data/pv.yaml': 'kind: PersistentVolume\n',
      'README.md': '# not a manifest\n',
      'a.json': '{}',
    });
    const inputs = await readMigrationInputs([dir, path.join(dir, 'redis-service.yml')]);
    expect(inputs).toEqual([
      { path: path.join(dir, 'a.json'), text: '{}' },
      { path: path.join(dir, 'data', 'pv.yaml'), text: 'kind: PersistentVolume\n' },
      { path: path.join(dir, 'redis-service.yml'), text: 'kind: Service\n' },
    ]);
  });

  it('keeps a Compose file named explicitly, so that planning says what it is instead of ignoring it', async () => {
    const dir = await folder({ 'docker-compose.yml': 'services: {}\n' });
    const inputs = await readMigrationInputs([path.join(dir, 'docker-compose.yml')]);
    expect(inputs.map((i) => path.basename(i.path))).toEqual(['docker-compose.yml']);
    const error = (() => {
      try {
        return planMigration(inputs, { dataRoot: '/home/me/qed', hostOs: 'linux' });
      } catch (e) {
        return e;
      }
    })();
    expect(isQedError(error, 'MANIFESTS_INVALID')).toBe(true);
    expect((error as Error).message).toBe(
      `invalid manifests to migrate: ${path.join(dir, 'docker-compose.yml')}:1:1: a Docker Compose file, not Kubernetes manifests: leave it out (migrating its folder skips it)`,
    );
  });

  it.each([
    [[], /no manifest files .* in the paths given \(none\)/],
    [['EMPTY'], /no manifest files \(.yaml, .yml, .json\) in /],
    [['MISSING'], /no such file or directory: /],
  ])('%j: MANIFESTS_NOT_FOUND', async (paths, message) => {
    const dir = await folder({ 'docker-compose.yml': 'services: {}\n' });
    const resolved = paths.map((p) => (p === 'EMPTY' ? dir : path.join(dir, 'missing')));
    const error = await readMigrationInputs(resolved).catch((e: unknown) => e);
    expect(isQedError(error, 'MANIFESTS_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

describe('isComposeFileName', () => {
  it.each([
    ['docker-compose.yml', true],
    ['/x/docker-compose.yaml', true],
    ['compose.yaml', true],
    ['docker-compose.override.yml', true],
    ['Docker-Compose.YML', true],
    ['qed-django-deployment.yml', false],
    ['compose-service.yml', false],
    ['docker-compose.json', false],
  ])('%s: %s', (name, expected) => {
    expect(isComposeFileName(name)).toBe(expected);
  });
});
