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
    const second = cli(['convert', '-o', 'k8s'], dir);
    expect(second.stdout).toContain('0 files written, 5 unchanged');
  });

  it('--json writes JSON manifests (kompose -j) and reports as JSON; a re-run changes nothing', async () => {
    const dir = await projectDir();
    const first = cli(['convert', '-o', 'k8s', '--json'], dir);
    expect(first.code, first.stderr).toBe(0);
    expect((await readdir(path.join(dir, 'k8s'))).sort()).toEqual([
      'qed-django-deployment.json',
      'qed-django-secret.json',
      'qed-django-service.json',
      'redis-deployment.json',
      'redis-service.json',
    ]);
    expect(JSON.parse(await readFile(path.join(dir, 'k8s', 'redis-service.json'), 'utf8'))).toMatchObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'redis' } });
    expect((await stat(path.join(dir, 'k8s', 'qed-django-secret.json'))).mode & 0o777).toBe(0o600);
    const second = cli(['convert', '-o', 'k8s', '--json'], dir);
    const report = JSON.parse(second.stdout) as { files: Array<{ change: string }>; warnings: Array<{ service: string; key: string }> };
    expect(report.files.map((f) => f.change)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(report.warnings).toContainEqual(expect.objectContaining({ service: 'qed_django', key: 'services.qed_django.logging' }));
    // On --stdout, one List kubectl reads, Secret values masked, and nothing else on stdout.
    const streamed = cli(['convert', '--stdout', '--json'], dir);
    const list = JSON.parse(streamed.stdout) as { kind: string; items: Array<{ kind: string; data?: Record<string, string> }> };
    expect(list.kind).toBe('List');
    expect(list.items.find((o) => o.kind === 'Secret')?.data).toEqual({ DJANGO_SECRET_KEY: '***' });
  });

  it('--namespace writes the namespace into every namespaced object, and a Namespace first', async () => {
    const dir = await projectDir();
    const result = cli(['convert', '--stdout', '--namespace', 'team-a'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith('---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n')).toBe(true);
    expect(result.stdout.match(/^ {2}namespace: team-a$/gm)).toHaveLength(5);
  });

  it('--chart writes a Helm chart whose templates read images and replicas from values.yaml, checked as Helm renders it', async () => {
    const dir = await projectDir();
    const result = cli(['convert', '--chart'], dir);
    expect(result.code, result.stderr).toBe(0);
    const chart = path.join(dir, path.basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, '-'));
    expect((await readdir(chart)).sort()).toEqual(['Chart.yaml', 'templates', 'values.yaml']);
    expect(await readFile(path.join(chart, 'values.yaml'), 'utf8')).toContain('qedDjango:\n  replicas: 1\n  image:\n    repository: quanted/qed_django\n    tag: latest\n');
    const deployment = await readFile(path.join(chart, 'templates', 'qed-django-deployment.yaml'), 'utf8');
    expect(deployment).toContain('replicas: {{ .Values.qedDjango.replicas }}');
    expect(deployment).toContain('image: "{{ .Values.qedDjango.image.repository }}:{{ .Values.qedDjango.image.tag }}"');
    expect((await stat(path.join(chart, 'templates', 'qed-django-secret.yaml'))).mode & 0o777).toBe(0o600);
    expect(cli(['convert', '--chart', '--stdout'], dir).stderr).toContain('--chart writes a chart folder; it does not go with --stdout');
  });

  it('--generate-network-policies and --run-once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-convert-cli-'));
    await writeFile(path.join(dir, 'docker-compose.yml'), 'services:\n  migrate:\n    image: app\n    restart: "no"\n    networks: [back]\nnetworks:\n  back: {}\n');
    const job = cli(['convert', '--stdout', '--generate-network-policies'], dir);
    expect(job.code, job.stderr).toBe(0);
    expect(job.stdout).toContain('kind: Job');
    expect(job.stdout).toContain('kind: NetworkPolicy');
    const pod = cli(['convert', '--stdout', '--run-once', 'pod'], dir);
    expect(pod.stdout).toContain('kind: Pod\n');
    expect(pod.stderr).toContain('networks back are not separated');
    expect(cli(['convert', '--run-once', 'daemon'], dir).stderr).toContain('--run-once must be one of job, pod, controller, not "daemon"');
  });

  it("kompose's --service-group-mode volume, --service-group-name, --pvc-request-size, --with-kompose-annotation, --error-on-warning", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-convert-cli-'));
    await writeFile(path.join(dir, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n    volumes: [data:/data]\n  worker:\n    image: busybox\n    volumes: [data:/data]\nvolumes:\n  data: {}\n');
    const grouped = cli(['convert', '--stdout', '--service-group-mode', 'volume', '--service-group-name', 'backend', '--pvc-request-size', '5Gi', '--with-kompose-annotation=false'], dir);
    expect(grouped.code, grouped.stderr).toBe(0);
    expect(grouped.stdout.match(/kind: Deployment/g)).toHaveLength(1);
    expect(grouped.stdout).toContain('name: backend');
    expect(grouped.stdout).toContain('storage: 5Gi');
    expect(grouped.stdout).not.toContain('compose.qed-bootstrap/');
    expect(cli(['convert', '--stdout'], dir).stdout).toContain('compose.qed-bootstrap/service');
    expect(cli(['convert', '--service-group-mode', 'pod'], dir).stderr).toContain('--service-group-mode must be one of label, volume, not "pod"');
    await writeFile(path.join(dir, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n    logging: { driver: syslog }\n');
    const strict = cli(['convert', '--error-on-warning', '-o', 'k8s'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('--error-on-warning makes each one an error');
    await expect(readdir(path.join(dir, 'k8s'))).rejects.toThrow();
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
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${VAR:?message} interpolation is the point
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
    expect(result.stderr).toContain('--volumes must be one of persistentVolumeClaim, hostPath, emptyDir, configMap, not "nfs"');
    expect(await readFile(path.join(dir, 'docker-compose.yml'), 'utf8')).toBe(COMPOSE);
  });
});
