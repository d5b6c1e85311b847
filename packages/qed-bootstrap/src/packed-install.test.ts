import { spawnSync } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
/** One of QED's real compose files (the corpus beside the repository). */
const COMPOSE_FILE = fileURLToPath(new URL('../../../../shared/corpus/compose/qed-docker-compose-local-51d70cb1.yml', import.meta.url));

/**
 * What a user has: an empty folder (also HOME, so no kubeconfig, no npm config of
 * theirs), the Node that runs these tests first on PATH (the package needs 22+),
 * npm's cache in the folder, and --offline: whatever npm would have to fetch
 * besides the tarball fails the install, so it proves there is nothing to fetch.
 */
async function emptyWorld() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-packed-'));
  const home = path.join(dir, 'home');
  await mkdir(home);
  const env: NodeJS.ProcessEnv = {
    PATH: [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
    HOME: home,
    CI: 'true',
    npm_config_cache: path.join(dir, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  return { dir, home, env };
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, all: `${result.stdout}\n${result.stderr}` };
}

describe('the packed package, installed as a user installs it, in an empty folder with no repository around', () => {
  let tarball = '';
  let world: Awaited<ReturnType<typeof emptyWorld>>;
  let bin = '';
  const qed = (args: string[]) => run(bin, args, { cwd: world.home, env: world.env });

  beforeAll(async () => {
    world = await emptyWorld();
    const packed = run('npm', ['pack', '--json', '--pack-destination', world.dir], { cwd: packageDir, env: { ...process.env, npm_config_update_notifier: 'false' } });
    expect(packed.code, packed.all).toBe(0);
    tarball = path.join(world.dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]?.filename ?? '');
    const prefix = path.join(world.dir, 'prefix');
    const installed = run('npm', ['install', '--global', '--prefix', prefix, tarball], { cwd: world.home, env: world.env });
    expect(installed.code, installed.all).toBe(0);
    bin = path.join(prefix, 'bin', 'qed-bootstrap');
  });

  it('installs alone: no dependency to fetch, nothing beside it in the prefix', async () => {
    const prefixModules = path.join(world.dir, 'prefix', 'lib', 'node_modules');
    expect(await readdir(prefixModules)).toEqual(['qed-bootstrap']);
    await expect(access(path.join(prefixModules, 'qed-bootstrap', 'node_modules'))).rejects.toMatchObject({ code: 'ENOENT' });
    const manifest = JSON.parse(await readFile(path.join(prefixModules, 'qed-bootstrap', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'qed-bootstrap', license: 'MIT', engines: { node: '>=22' }, bin: { 'qed-bootstrap': 'bin/qed-bootstrap.js' } });
    expect(manifest.dependencies).toBeUndefined();
  });

  it('runs through npx from the tarball: --help', () => {
    const help = run('npx', ['--yes', '--package', tarball, '--', 'qed-bootstrap', '--help'], { cwd: world.home, env: world.env });
    expect(help.code, help.all).toBe(0);
    expect(help.stdout).toMatch(/^Usage: qed-bootstrap /);
  });

  it('--version names the version it was packed at', () => {
    const shown = qed(['--version']);
    expect(shown.code, shown.all).toBe(0);
    expect(shown.stdout).toContain(version);
  });

  it('doctor --json reports every check as JSON (whatever this machine has)', () => {
    const doctor = qed(['doctor', '--json']);
    expect([0, 1], doctor.all).toContain(doctor.code);
    const report = JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string }> };
    expect(report.checks.map((c) => c.id)).toContain('docker');
    expect(report.checks.every((c) => ['ok', 'warn', 'fail', 'skip'].includes(c.status))).toBe(true);
  });

  it('renders the QED manifests it carries, and validates them offline against the schemas it carries', async () => {
    const out = path.join(world.dir, 'rendered');
    const rendered = qed(['manifests', 'render', '--out', out]);
    expect(rendered.code, rendered.all).toBe(0);
    expect(rendered.stdout).toMatch(/^Rendered \d+ objects \(local profile\)/m);
    expect((await readdir(out)).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(10);
    const validated = qed(['manifests', 'validate', out]);
    expect(validated.code, validated.all).toBe(0);
    expect(validated.stdout).toMatch(/^\d+ objects valid, checked against the Kubernetes schema only/);
    expect(validated.stderr).toBe('');
  });

  it('converts a real QED compose file', async () => {
    const out = path.join(world.dir, 'converted');
    const converted = qed(['convert', '-f', COMPOSE_FILE, '--out', out]);
    expect(converted.code, converted.all).toBe(0);
    expect((await readdir(out)).some((f) => f.endsWith('-deployment.yml'))).toBe(true);
  });
});
