import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planView, runStep, stepWorld } from '../__fixtures__/step-world.js';
import { dockerConfigStep } from './docker-config-step.js';

const NOT_MACOS = 'only Docker Desktop on macOS writes the credsStore entries that break pushes to a local registry';
/** What Docker Desktop for Mac leaves: credentials through the keychain, for every registry. */
const DESKTOP_CONFIG = `${JSON.stringify(
  { auths: {}, credsStore: 'desktop', credHelpers: { '127.0.0.1:5000': 'desktop', 'gcr.io': 'gcloud' }, currentContext: 'desktop-linux' },
  null,
  '\t',
)}\n`;

async function macWith(config: string | null, options: { fix?: boolean; env?: Record<string, string> } = {}) {
  const world = await stepWorld({ os: 'macos', registryHost: '127.0.0.1:5000', input: { fixDockerConfig: options.fix ?? false }, ...(options.env ? { env: options.env } : {}) });
  const file = path.join(options.env?.DOCKER_CONFIG ?? path.join(world.cwd, '.docker'), 'config.json');
  if (config !== null) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, config, { mode: 0o600 });
  }
  return { ...world, file };
}

describe('docker-config step', () => {
  it.each(['linux', 'wsl', 'windows'] as const)('does nothing on %s, and says why', async (os) => {
    const { ctx } = await stepWorld({ os });
    expect(await planView(dockerConfigStep, ctx)).toEqual({ summary: `skip: ${NOT_MACOS}`, lines: [] });
    expect(await runStep(dockerConfigStep, ctx)).toEqual({ detail: NOT_MACOS, skipped: true });
  });

  it('macOS without a config.json: nothing to fix', async () => {
    const { ctx, file } = await macWith(null);
    expect(await planView(dockerConfigStep, ctx)).toEqual({ summary: `${file} does not exist: nothing to fix`, lines: [] });
    expect(await runStep(dockerConfigStep, ctx)).toEqual({ detail: `${file} does not exist: nothing to fix` });
  });

  it('macOS with nothing in the way: nothing to fix', async () => {
    const { ctx } = await macWith('{"auths":{"ghcr.io":{}},"credHelpers":{"gcr.io":"gcloud"}}\n');
    expect((await planView(dockerConfigStep, ctx)).summary).toBe('nothing in the way of the local registry');
  });

  it('macOS with Docker Desktop\'s credsStore: plans the keys it removes and the backup', async () => {
    const { ctx, file } = await macWith(DESKTOP_CONFIG);
    const plan = await planView(dockerConfigStep, ctx);
    // The backup is named by the world's fixed clock.
    expect(plan.summary).toBe(`fix ${file} (backup ${file}.20261201-102030.bak)`);
    expect(plan.lines).toEqual([`In ${file}:`, '  remove credsStore (desktop)', '  remove credHelpers.127.0.0.1:5000 (desktop)', `A copy is kept as ${file}.20261201-102030.bak.`]);
  });

  it('without consent (no --yes, the prompt declined) it stops with CONSENT_REQUIRED and leaves the file as it was', async () => {
    const { ctx, file } = await macWith(DESKTOP_CONFIG);
    await expect(runStep(dockerConfigStep, ctx)).rejects.toMatchObject({ code: 'CONSENT_REQUIRED', hint: expect.stringContaining('docker-config fix') });
    expect(await readFile(file, 'utf8')).toBe(DESKTOP_CONFIG);
  });

  it('with consent it removes those keys only, keeps the mode, and the backup holds the original', async () => {
    const { ctx, file } = await macWith(DESKTOP_CONFIG, { fix: true });
    const outcome = await runStep(dockerConfigStep, ctx);
    const backup = /backup at (.+)$/.exec(outcome.detail)?.[1] ?? '';
    expect(outcome.detail).toBe(`fixed ${file}; backup at ${backup}`);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ auths: {}, credHelpers: { 'gcr.io': 'gcloud' }, currentContext: 'desktop-linux' });
    expect(await readFile(backup, 'utf8')).toBe(DESKTOP_CONFIG);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // Run again: nothing left to do.
    expect(await runStep(dockerConfigStep, ctx)).toEqual({ detail: 'nothing in the way of the local registry' });
  });

  it('reads the file DOCKER_CONFIG names, as the docker CLI does', async () => {
    const world = await stepWorld();
    const { ctx, file } = await macWith(DESKTOP_CONFIG, { env: { DOCKER_CONFIG: path.join(world.cwd, 'elsewhere') } });
    expect((await planView(dockerConfigStep, ctx)).summary).toMatch(new RegExp(`^fix ${file} `));
    expect(file).toBe(path.join(world.cwd, 'elsewhere', 'config.json'));
  });
});
