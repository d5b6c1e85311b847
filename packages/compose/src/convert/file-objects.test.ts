import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCompose } from '../load-compose.js';
import { BASE_OPTIONS, convertSnippet, problemsOf } from './convert-test-support.js';
import { convertProject } from './convert-project.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('compose secrets -> Secrets mounted where compose mounts them', () => {
  it('the MariaDB example: the password file is at /run/secrets/<name> with its value', async () => {
    const r = await convertSnippet(
      [
        'services:',
        '  db:',
        '    image: mariadb',
        '    environment:',
        '      MYSQL_ROOT_PASSWORD_FILE: /run/secrets/db-password',
        '    secrets:',
        '      - db-password',
        'secrets:',
        '  db-password:',
        '    file: ./db/password.txt',
        '',
      ].join('\n'),
      {},
      { 'db/password.txt': 'S3cret!\n' },
    );
    expect(r.get('Secret', 'db-password')).toMatchObject({ type: 'Opaque', data: { 'db-password': b64('S3cret!\n') } });
    expect(r.podSpec('db').volumes).toEqual([{ name: 'secret-db-password', secret: { secretName: 'db-password', items: [{ key: 'db-password', path: 'db-password' }] } }]);
    expect(r.container('db').volumeMounts).toEqual([{ name: 'secret-db-password', mountPath: '/run/secrets/db-password', subPath: 'db-password', readOnly: true }]);
    // The variable's name looks secret, so its value (only the path) goes through the service's Secret, as any such name does.
    expect(r.get('Secret', 'db').data).toEqual({ MYSQL_ROOT_PASSWORD_FILE: b64('/run/secrets/db-password') });
    expect(r.messages).toEqual([]);
  });

  const longSyntax = [
    'services:',
    '  web:',
    '    image: nginx',
    '    secrets:',
    '      - source: cert',
    '        target: server.cert',
    '        mode: 0440',
    '      - source: cert',
    '        target: /etc/ssl/site.pem',
    '        mode: "0400"',
    '        uid: "103"',
    '        gid: "103"',
    '      - source: token',
    '        target: /run/token',
    '        mode: 256',
    'secrets:',
    '  cert: { file: cert.pem }',
    '  token: { environment: API_TOKEN }',
    '',
  ].join('\n');

  it.each([
    ['a relative target goes under /run/secrets; 0440 is octal, as docker compose reads it', 0, { name: 'secret-cert', mountPath: '/run/secrets/server.cert', subPath: 'server.cert', readOnly: true }, { key: 'cert', path: 'server.cert', mode: 0o440 }],
    ['an absolute target is used as is; a quoted mode is octal too', 1, { name: 'secret-cert-2', mountPath: '/etc/ssl/site.pem', subPath: 'site.pem', readOnly: true }, { key: 'cert', path: 'site.pem', mode: 0o400 }],
    ['a mode written as a plain number without a leading 0 is decimal', 2, { name: 'secret-token', mountPath: '/run/token', subPath: 'token', readOnly: true }, { key: 'token', path: 'token', mode: 256 }],
  ])('long syntax: %s', async (_case, index, mount, item) => {
    const r = await convertSnippet(longSyntax, {}, { 'cert.pem': '-----BEGIN CERTIFICATE-----\n' }, { API_TOKEN: 't0ken' });
    expect((r.container('web').volumeMounts as unknown[])[index]).toEqual(mount);
    const volume = (r.podSpec('web').volumes as Array<{ name: string; secret: { items: unknown[] } }>).find((v) => v.name === mount.name);
    expect(volume?.secret.items).toEqual([item]);
  });

  it('one Secret per definition however often it is mounted; environment secrets take the variable', async () => {
    const r = await convertSnippet(longSyntax, {}, { 'cert.pem': 'pem' }, { API_TOKEN: 't0ken' });
    expect(r.kinds().filter((k) => k.startsWith('Secret/'))).toEqual(['Secret/cert', 'Secret/token']);
    expect(r.get('Secret', 'token').data).toEqual({ token: b64('t0ken') });
  });

  it('uid / gid: gid becomes the pod fsGroup, with a warning that the owner cannot be set', async () => {
    const r = await convertSnippet(longSyntax, {}, { 'cert.pem': 'pem' }, { API_TOKEN: 't0ken' });
    expect(r.podSpec('web').securityContext).toEqual({ fsGroup: 103 });
    expect(r.warnings.map((w) => [w.line, w.key, w.message])).toContainEqual([
      8,
      'services.web.secrets',
      "secret cert at /etc/ssl/site.pem: uid 103: Kubernetes cannot set the owner of a mounted file, it stays root; gid 103 becomes the pod's fsGroup, the group of every volume in the pod",
    ]);
  });

  it('external: mounted by name, never generated, with a warning that it must exist', async () => {
    const r = await convertSnippet('services:\n  app:\n    image: app\n    secrets: [registry]\nsecrets:\n  registry:\n    external: true\n    name: prod_registry\n');
    expect(r.objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(r.podSpec('app').volumes).toEqual([{ name: 'secret-registry', secret: { secretName: 'prod-registry', items: [{ key: 'registry', path: 'registry' }] } }]);
    expect(r.messages).toEqual([
      'secrets.registry.name: prod_registry is not a valid Kubernetes name: the Secret is looked up as prod-registry',
      'secrets.registry.external: external secret: nothing is generated; a Secret named prod-registry with the key registry must exist in the namespace (kubectl create secret generic prod-registry --from-file=registry=PATH)',
    ]);
  });

  it('a Secret named like a service whose environment makes one steps aside', async () => {
    const r = await convertSnippet('services:\n  db:\n    image: postgres\n    environment: { POSTGRES_PASSWORD: x }\n    secrets: [db]\nsecrets:\n  db: { file: db.txt }\n', {}, { 'db.txt': 'y' });
    expect(r.kinds().filter((k) => k.startsWith('Secret/'))).toEqual(['Secret/db', 'Secret/db-secret']);
    expect(r.get('Secret', 'db-secret').data).toEqual({ db: b64('y') });
  });

  it('a definition no service uses is reported, not generated', async () => {
    const r = await convertSnippet('services:\n  app:\n    image: app\nsecrets:\n  spare: { file: nowhere.txt }\n');
    expect(r.objects.map((o) => o.kind)).toEqual(['Deployment']);
    expect(r.messages).toEqual(['secrets.spare: no service converted here uses secret spare: no Secret is generated for it']);
  });
});

describe('compose configs -> ConfigMaps', () => {
  it('file and content; the default target is /<name>, a long-syntax target wins', async () => {
    const r = await convertSnippet(
      [
        'services:',
        '  proxy:',
        '    image: nginx',
        '    configs:',
        '      - nginx_conf',
        '      - source: motd',
        '        target: /etc/motd',
        '        mode: 0444',
        'configs:',
        '  nginx_conf:',
        '    file: ./nginx.conf',
        '  motd:',
        '    content: |',
        '      welcome to ${PROJECT}',
        '',
      ].join('\n'),
      {},
      { 'nginx.conf': 'events {}\n' },
      { PROJECT: 'qed' },
    );
    expect(r.get('ConfigMap', 'nginx-conf').data).toEqual({ nginx_conf: 'events {}\n' });
    expect(r.get('ConfigMap', 'motd').data).toEqual({ motd: 'welcome to qed\n' });
    expect(r.container('proxy').volumeMounts).toEqual([
      { name: 'config-nginx-conf', mountPath: '/nginx_conf', subPath: 'nginx_conf', readOnly: true },
      { name: 'config-motd', mountPath: '/etc/motd', subPath: 'motd', readOnly: true },
    ]);
    expect(r.podSpec('proxy').volumes).toEqual([
      { name: 'config-nginx-conf', configMap: { name: 'nginx-conf', items: [{ key: 'nginx_conf', path: 'nginx_conf' }] } },
      { name: 'config-motd', configMap: { name: 'motd', items: [{ key: 'motd', path: 'motd', mode: 0o444 }] } },
    ]);
  });

  it('a file that is not text goes into binaryData', async () => {
    const dir = await convertSnippet('services:\n  a:\n    image: a\n    configs: [logo]\nconfigs:\n  logo: { file: logo.bin }\n', {}, { 'logo.bin': '' });
    await writeFile(path.join(dir.dir, 'logo.bin'), Buffer.from([0xff, 0xfe, 0x00]));
    const project = await loadCompose({ files: ['docker-compose.yml'], env: {}, cwd: dir.dir });
    const { objects } = await convertProject(project, BASE_OPTIONS);
    expect(objects.find((o) => o.kind === 'ConfigMap')?.binaryData).toEqual({ logo: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') });
  });

  it('file paths are relative to the compose file that declares them', async () => {
    const r = await convertSnippet('services:\n  a:\n    image: a\n', {}, {});
    await mkdir(path.join(r.dir, 'sub'));
    await writeFile(path.join(r.dir, 'sub', 'override.yml'), 'services:\n  a:\n    configs: [conf]\nconfigs:\n  conf: { file: app.ini }\n');
    await writeFile(path.join(r.dir, 'sub', 'app.ini'), '[app]\n');
    const project = await loadCompose({ files: ['docker-compose.yml', 'sub/override.yml'], env: {}, cwd: r.dir });
    const { objects } = await convertProject(project, BASE_OPTIONS);
    expect(objects.find((o) => o.kind === 'ConfigMap')?.data).toEqual({ conf: '[app]\n' });
  });
});

describe('secrets and configs that cannot be made are located errors', () => {
  it.each([
    [
      'a missing file names the compose file, line and key',
      'services:\n  db:\n    image: db\n    secrets: [pw]\nsecrets:\n  pw:\n    file: ./missing.txt\n',
      {},
      [/^docker-compose\.yml:7 secrets\.pw\.file: \S+missing\.txt does not exist: create it, or fix the path \(relative to the compose file\)$/],
    ],
    [
      'an environment secret whose variable is unset',
      'services:\n  db:\n    image: db\n    secrets: [pw]\nsecrets:\n  pw:\n    environment: DB_PASSWORD\n',
      {},
      ['docker-compose.yml:7 secrets.pw.environment: variable DB_PASSWORD is not set: set it in the environment or the .env file, or the secret would be empty'],
    ],
    [
      'a secret no top-level entry defines',
      'services:\n  db:\n    image: db\n    secrets: [pw, other]\nsecrets:\n  pw: { file: pw.txt }\n',
      { 'pw.txt': 'x' },
      ['docker-compose.yml:4 services.db.secrets: uses secret "other", which the top-level secrets do not define (defined: pw)'],
    ],
    [
      'a definition with no source, and one with two',
      'services:\n  a:\n    image: a\nconfigs:\n  empty: {}\n  both: { file: a.txt, content: x }\n',
      {},
      ['docker-compose.yml:5 configs.empty: needs one of file, content, environment, external: where does its value come from?', 'docker-compose.yml:6 configs.both: sets file and content: a config takes its value from one of them'],
    ],
    [
      'a mode that is no file mode',
      'services:\n  a:\n    image: a\n    configs: [{ source: c, mode: 0999 }]\nconfigs:\n  c: { content: x }\n',
      {},
      ['docker-compose.yml:4 services.a.configs[0].mode: must be a file mode like 0440 (octal, at most 0777), not number 999'],
    ],
    [
      'a target another volume already uses',
      'services:\n  a:\n    image: a\n    volumes: ["./x:/etc/app.ini"]\n    configs: [{ source: c, target: /etc/app.ini }]\nconfigs:\n  c: { content: x }\n',
      {},
      ['docker-compose.yml:5 services.a.configs: /etc/app.ini is mounted twice (a volume or another config is there already): give one another target'],
    ],
  ])('%s', async (_case, compose, files, expected) => {
    const problems = await problemsOf(compose, {}, files);
    expect(problems).toEqual(expected.map((e) => (typeof e === 'string' ? e : expect.stringMatching(e))));
  });
});
