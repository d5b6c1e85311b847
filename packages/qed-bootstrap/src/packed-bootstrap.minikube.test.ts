import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOnMinikubeLane, laneClusterConfig } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * The README's main command, `npx qed-bootstrap --yes`, run from the packed
 * package installed in an empty folder (no repository around), on the real
 * minikube lane: the whole pipeline, with Redis built from the lane's Debian
 * image, pushed to the lane's registry, pulled by the real kubelet and running.
 */
describeOnMinikubeLane('the packed package runs the main job on a real minikube: npx qed-bootstrap --yes from an empty folder', (lane, testenv) => {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const ns = `qed-packed-${tag}`.slice(0, 63);
  let dir = '';
  let bin = '';
  const env = {
    ...process.env,
    ...lane,
    DOCKER_HOST: testenv.DOCKER_HOST,
    PATH: [path.dirname(process.execPath), lane.PATH ?? process.env.PATH ?? ''].join(path.delimiter),
    CI: 'true',
    NO_COLOR: '1',
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const sh = (command: string, args: string[], cwd = dir) => spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 900_000 });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'qed-packed-mk-'));
    const packed = sh('npm', ['pack', '--json', '--pack-destination', dir], packageDir);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = path.join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]?.filename ?? '');
    const prefix = path.join(dir, 'prefix');
    const installed = sh('npm', ['install', '--global', '--prefix', prefix, '--cache', path.join(dir, 'npm-cache'), tarball]);
    expect(installed.status, installed.stderr).toBe(0);
    bin = path.join(prefix, 'bin', 'qed-bootstrap');
    // A QED checkout as a user has it: the config, and the folder redis is built from.
    const project = path.join(dir, 'qed');
    await mkdir(path.join(project, 'images', 'redis'), { recursive: true });
    await writeFile(path.join(project, 'images', 'redis', 'Dockerfile'), `FROM ${lane.QED_TEST_SERVICES_IMAGE}\nENTRYPOINT ["/usr/local/bin/qed-redis"]\n`);
    const loaded = sh('docker', ['load', '-i', lane.QED_TEST_SERVICES_ARCHIVE]);
    expect(loaded.status, loaded.stderr).toBe(0);
    await writeFile(
      path.join(project, 'qed.config.yaml'),
      [
        ...laneClusterConfig(lane),
        'registry:',
        `  host: ${lane.QED_TEST_MINIKUBE_REGISTRY}`,
        `  name: qed-packed-${tag}-registry`,
        'images:',
        `  - { name: qed-packed-${tag}/redis, source: "quanted/redis:latest", context: ./images/redis }`,
        'services: [redis]',
        `namespace: ${ns}`,
        'dataRoot: ./data',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    if (!dir) return;
    sh('kubectl', ['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
    const pvs = sh('kubectl', ['get', 'pv', '-o', 'name']).stdout.split('\n').filter((pv) => pv.startsWith(`persistentvolume/${ns}-`));
    if (pvs.length > 0) sh('kubectl', ['delete', '--wait=false', ...pvs]);
    await rm(dir, { recursive: true, force: true });
  });

  it('every step succeeds from a subfolder of the checkout (the config found above it), and Redis answers from its real container', () => {
    const below = path.join(dir, 'qed', 'images');
    const run = spawnSync(bin, ['--yes', '--json'], { cwd: below, env: { ...env, HOME: dir }, encoding: 'utf8', timeout: 900_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; step?: string; status: string });
    for (const step of ['doctor', 'cluster', 'registry', 'images', 'manifests', 'apply', 'wait', 'summary']) {
      expect(events.find((e) => e.step === step && e.status === 'succeeded'), `${step}\n${run.stdout}`).toBeDefined();
    }
    expect(events.at(-1)).toMatchObject({ type: 'pipeline', status: 'succeeded' });
    const pong = sh('kubectl', ['-n', ns, 'exec', 'deploy/redis', '--', '/usr/bin/redis-cli', 'ping']);
    expect(pong.stdout.trim(), pong.stderr).toBe('PONG');
    const image = sh('kubectl', ['-n', ns, 'get', 'deploy/redis', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']).stdout;
    expect(image).toMatch(new RegExp(`^${lane.QED_TEST_MINIKUBE_REGISTRY.replaceAll('.', '\\.')}/qed-packed-${tag}/redis:c-`));
  });
});
