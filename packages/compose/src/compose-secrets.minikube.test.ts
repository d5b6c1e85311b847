import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeOnMinikubeLane } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkConvertedFiles } from './convert/check-converted.js';
import { convertProject } from './convert/convert-project.js';
import { convertedFiles, writeConvertedFiles } from './convert/output-files.js';
import { LOCAL_PROFILE } from './corpus-test-support.js';
import { loadCompose } from './load-compose.js';

const PSQL = '/usr/lib/postgresql/15/bin/psql';

/**
 * Issue 13's promise for compose secrets, with a real container: a PostgreSQL
 * service whose password comes from a compose secret file
 * (POSTGRES_PASSWORD_FILE=/run/secrets/db-password, as the official image reads it)
 * is converted, applied to the minikube lane's real kubelet, and starts; the file is
 * where compose puts it, holding the value, and that value is the password
 * PostgreSQL asks for. Debian's real PostgreSQL (the lane's debian-services image),
 * pulled by the node from the lane's registry.
 */
describeOnMinikubeLane('a compose secret file on a real minikube: PostgreSQL starts with the password it holds', (lane, testenv) => {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const ns = `qed-mk-secret-${tag}`.slice(0, 63);
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const image = `${lane.QED_TEST_MINIKUBE_REGISTRY}/qed-mk-compose-secret/postgres:${tag}`;
  const env = { ...process.env, ...lane, DOCKER_HOST: testenv.DOCKER_HOST, NO_COLOR: '1' };
  const sh = (command: string, args: string[], input?: string) => spawnSync(command, args, { env, encoding: 'utf8', timeout: 300_000, ...(input !== undefined ? { input } : {}) });
  const kubectl = (args: string[], input?: string) => sh('kubectl', ['-n', ns, ...args], input);
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'qed-mk-secret-'));
    // The image: Debian's PostgreSQL, pushed where the node pulls from.
    for (const args of [['load', '-i', lane.QED_TEST_SERVICES_ARCHIVE], ['tag', lane.QED_TEST_SERVICES_IMAGE, image], ['push', image]]) {
      const run = sh('docker', args);
      expect(run.status, `docker ${args[0]}: ${run.stderr}`).toBe(0);
    }
    await writeFile(path.join(dir, 'db_password.txt'), `${password}\n`, { mode: 0o600 });
    await writeFile(
      path.join(dir, 'docker-compose.yml'),
      [
        'services:',
        '  db:',
        `    image: ${image}`,
        '    entrypoint: ["/usr/local/bin/qed-postgres"]',
        '    environment:',
        '      POSTGRES_PASSWORD_FILE: /run/secrets/db-password',
        '    secrets: [db-password]',
        '    ports: ["5432"]',
        '    healthcheck:',
        '      test: ["CMD", "/usr/lib/postgresql/15/bin/pg_isready", "-h", "127.0.0.1"]',
        '      interval: 2s',
        '      retries: 60',
        'secrets:',
        '  db-password:',
        '    file: ./db_password.txt',
        '',
      ].join('\n'),
    );
    // Converted and checked as `convert -o` does it, then applied as its files.
    const project = await loadCompose({ files: ['docker-compose.yml'], env: {}, cwd: dir });
    const { objects } = await convertProject(project, { ...LOCAL_PROFILE, dataRoot: undefined, namespace: ns });
    const files = convertedFiles(objects);
    const out = path.join(dir, 'k8s');
    expect((await checkConvertedFiles(files, out)).problems).toEqual([]);
    await writeConvertedFiles(out, files);
    const created = sh('kubectl', ['create', 'namespace', ns]);
    expect(created.status, created.stderr).toBe(0);
    const applied = kubectl(['apply', '-f', out]);
    expect(applied.status, applied.stderr).toBe(0);
  });

  afterAll(async () => {
    if (!dir) return;
    sh('kubectl', ['delete', 'namespace', ns, '--wait=true', '--timeout=120s', '--ignore-not-found']);
    await rm(dir, { recursive: true, force: true });
  });

  it('the pod becomes Ready: PostgreSQL read its password from the secret file and created its cluster', () => {
    const ready = kubectl(['wait', '--for=condition=Available', 'deployment/db', '--timeout=300s']);
    if (ready.status !== 0) {
      const logs = kubectl(['logs', 'deployment/db', '--tail=40']);
      const pods = kubectl(['describe', 'pods']);
      expect.fail(`not ready: ${ready.stderr}\n${logs.stdout}${logs.stderr}\n${pods.stdout.slice(-3000)}`);
    }
  });

  it('the file is where compose puts it, holding the value, and only the value', () => {
    const file = kubectl(['exec', 'deployment/db', '--', 'cat', '/run/secrets/db-password']);
    expect(file.status, file.stderr).toBe(0);
    expect(file.stdout).toBe(`${password}\n`);
  });

  it('the password works over TCP (scram-sha-256), and another one is refused', () => {
    // Read from stdin, so the password is in no command line.
    const login = (candidate: string) =>
      kubectl(['exec', '-i', 'deployment/db', '--', '/bin/sh', '-c', `read -r PGPASSWORD; export PGPASSWORD; exec ${PSQL} -h 127.0.0.1 -U postgres -d postgres -tAc 'select 40 + 2'`], `${candidate}\n`);
    const good = login(password);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout.trim()).toBe('42');
    const bad = login(`${password}-not`);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('password authentication failed for user "postgres"');
  });
});
