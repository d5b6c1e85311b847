import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));
const COMPOSE = `services:
  qed_django:
    image: quanted/qed_django
    expose: ["8080"]
    environment:
      DJANGO_SECRET_KEY: s3cr3t-value
      REDIS_HOSTNAME: redis
    logging: { driver: syslog }
  redis:
    image: redis
    expose: ["6379"]
`;

function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function projectDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-convert-cli-'));
  await writeFile(path.join(dir, 'docker-compose.yml'), COMPOSE);
  return dir;
}

describe('qed-bootstrap convert, run as a process', () => {
  it('finds docker-compose.yml, writes one file per object named like the guide, secrets 0600, and a re-run changes nothing', async () => {
    const dir = await projectDir();
    const first = cli(['convert', '-o', 'k8s'], dir);
    expect(first.code, first.stderr).toBe(0);
    expect((await readdir(path.join(dir, 'k8s'))).sort()).toEqual([
      'qed-django-deployment.yml',
      'qed-django-secret.yml',
      'qed-django-service.yml',
      'redis-deployment.yml',
      'redis-service.yml',
    ]);
    expect((await stat(path.join(dir, 'k8s', 'qed-django-secret.yml'))).mode & 0o777).toBe(0o600);
    expect(first.stderr).toMatch(/docker-compose\.yml:8:5 services\.qed_django\.logging: logging is not translated/);
    expect(first.stdout + first.stderr).not.toContain('s3cr3t-value');
    expect(first.stdout).toContain('5 files written, 0 unchanged');
    const second = cli(['convert', '-o', 'k8s', '--json'], dir);
    const report = JSON.parse(second.stdout) as { files: Array<{ change: string }>; warnings: Array<{ service: string; key: string }> };
    expect(report.files.map((f) => f.change)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(report.warnings).toContainEqual(expect.objectContaining({ service: 'qed_django', key: 'services.qed_django.logging' }));
  });

  it('--stdout prints one stream with Secret values masked unless --reveal-secrets', async () => {
    const dir = await projectDir();
    const masked = cli(['convert', '--stdout'], dir);
    expect(masked.code, masked.stderr).toBe(0);
    expect(masked.stdout.match(/^---$/gm)).toHaveLength(5);
    expect(masked.stdout).toContain('DJANGO_SECRET_KEY: "***"');
    expect(masked.stderr).toContain('--reveal-secrets');
    const revealed = cli(['convert', '--stdout', '--reveal-secrets'], dir);
    expect(revealed.stdout).toContain(`DJANGO_SECRET_KEY: ${Buffer.from('s3cr3t-value').toString('base64')}`);
  });

  it('compose secrets: written 0600, masked on --stdout, never printed; kompose labels shape the objects', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-convert-cli-'));
    await writeFile(
      path.join(dir, 'docker-compose.yml'),
      [
        'services:',
        '  db:',
        '    image: mariadb',
        '    environment: [MYSQL_DATABASE=qed]',
        '    secrets: [db-password]',
        '    ports: ["3306"]',
        '    labels:',
        '      kompose.service.type: nodeport',
        '      kompose.service.expose: db.example.com',
        '      kompose.servce.group: typo',
        'secrets:',
        '  db-password:',
        '    file: ./db_password.txt',
        '',
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'db_password.txt'), 'pa55-in-a-file');
    const written = cli(['convert', '-o', 'k8s'], dir);
    expect(written.code, written.stderr).toBe(0);
    expect((await readdir(path.join(dir, 'k8s'))).sort()).toEqual(['db-deployment.yml', 'db-ingress.yml', 'db-password-secret.yml', 'db-service.yml']);
    expect((await stat(path.join(dir, 'k8s', 'db-password-secret.yml'))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(dir, 'k8s', 'db-service.yml'), 'utf8')).toContain('type: NodePort');
    expect(written.stderr).toMatch(/docker-compose\.yml:10:7 services\.db\.labels\.kompose\.servce\.group: not a label kompose reads/);
    const streamed = cli(['convert', '--stdout'], dir);
    expect(streamed.code, streamed.stderr).toBe(0);
    expect(streamed.stdout).toContain('db-password: "***"');
    for (const text of [written.stdout, written.stderr, streamed.stdout, streamed.stderr]) {
      expect(text).not.toContain('pa55-in-a-file');
      expect(text).not.toContain(Buffer.from('pa55-in-a-file').toString('base64'));
    }
  });

  it('bad input exits 1 naming file, line, column and key; nothing is written', async () => {
    const dir = await projectDir();
    await writeFile(path.join(dir, 'docker-compose.yml'), 'services:\n  web:\n    image: "nginx:${TAG:?set TAG}"\n    ports: 80\n');
    const result = cli(['convert', '-o', 'k8s'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('docker-compose.yml:3:12 services.web.image: required variable TAG is unset: set TAG');
    expect(result.stderr).toContain('docker-compose.yml:4:12 services.web.ports: must be a list of ports, not number');
    await expect(readdir(path.join(dir, 'k8s'))).rejects.toThrow();
  });

  it('refuses unknown flag values with the allowed ones', async () => {
    const dir = await projectDir();
    const result = cli(['convert', '--volumes', 'nfs'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--volumes must be one of persistentVolumeClaim, hostPath, emptyDir, not "nfs"');
    expect(await readFile(path.join(dir, 'docker-compose.yml'), 'utf8')).toBe(COMPOSE);
  });
});
