import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isQedError, type QedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { loadCompose } from './load-compose.js';
import type { ComposeProblem } from './source/compose-problem.js';

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-compose-load-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

async function load(files: Record<string, string>, options: { files?: string[]; env?: Record<string, string>; profiles?: string[] } = {}) {
  const dir = await project(files);
  return { dir, project: await loadCompose({ files: options.files ?? ['docker-compose.yml'], env: options.env ?? {}, cwd: dir, ...(options.profiles ? { profiles: options.profiles } : {}) }) };
}

async function problemsOf(files: Record<string, string>, env: Record<string, string> = {}): Promise<ComposeProblem[]> {
  const dir = await project(files);
  const error = await loadCompose({ files: ['docker-compose.yml'], env, cwd: dir }).then(
    () => {
      throw new Error('expected the compose file to be refused');
    },
    (e: unknown) => e,
  );
  expect(isQedError(error) && error.code).toBe('COMPOSE_INVALID');
  return (((error as QedError).data?.problems ?? []) as ComposeProblem[]).map((p) => ({ ...p, file: path.basename(p.file) }));
}

describe('loadCompose: versions', () => {
  it('reads version 1 files, where every top-level key is a service', async () => {
    const { project: p } = await load({ 'docker-compose.yml': 'web:\n  image: nginx\ndb:\n  image: postgres\n' });
    expect(p.services.map((s) => s.name)).toEqual(['web', 'db']);
  });

  it('reads 2.x, 3.x and the Compose Specification (no version) alike', async () => {
    for (const version of ["version: '2.1'\n", "version: '3.7'\n", '']) {
      const { project: p } = await load({ 'docker-compose.yml': `${version}services:\n  web:\n    image: nginx\n` });
      expect(p.services[0]?.image).toBe('nginx');
      expect(p.warnings).toEqual([]);
    }
  });

  it('warns about an unknown version and reads it as the specification', async () => {
    const { project: p } = await load({ 'docker-compose.yml': "version: '4'\nservices:\n  web:\n    image: nginx\n" });
    expect(p.warnings.map((w) => [w.line, w.key, w.message])).toEqual([[1, 'version', 'compose file version "4" is unknown; read as the Compose Specification']]);
  });
});

describe('loadCompose: interpolation', () => {
  it('takes variables from the environment over .env, and defaults', async () => {
    const { project: p } = await load(
      {
        '.env': 'TAG=from-dotenv\nPORT=9000\n',
        'docker-compose.yml': 'services:\n  web:\n    image: "nginx:${TAG}"\n    ports: ["${PORT}:80"]\n    environment: [ "MODE=${MODE:-dev}" ]\n',
      },
      { env: { PORT: '7000' } },
    );
    const web = p.services[0];
    expect(web?.image).toBe('nginx:from-dotenv');
    expect(web?.ports).toEqual([{ target: 80, published: 7000, protocol: 'TCP' }]);
    expect(web?.environment.get('MODE')).toBe('dev');
  });

  it('turns an unset variable into "" with one warning naming it, where it is first used and how often', async () => {
    const { project: p } = await load({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    environment:\n      - A=${HOST_X}\n      - B=${HOST_X}\n' });
    expect(p.services[0]?.environment.get('A')).toBe('');
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatchObject({ line: 5, column: 9, key: 'services.web.environment[0]' });
    expect(p.warnings[0]?.message).toContain('variable HOST_X is not set: it became an empty string (2 places)');
  });

  it('fails on ${VAR:?message} with file, line, column and key path', async () => {
    const problems = await problemsOf({ 'docker-compose.yml': 'services:\n  web:\n    image: "nginx:${TAG:?set TAG to the release}"\n' });
    expect(problems).toEqual([
      { file: 'docker-compose.yml', line: 3, column: 12, key: 'services.web.image', message: 'required variable TAG is unset: set TAG to the release' },
    ]);
  });
});

describe('loadCompose: bad input is located', () => {
  it('names line and column of broken YAML, and nothing else is read', async () => {
    const problems = await problemsOf({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx\n   ports: ["80"]\n' });
    expect(problems[0]).toMatchObject({ file: 'docker-compose.yml', line: 4, key: 'services.web', message: 'All mapping items must start at the same column' });
  });

  it('reports an alias whose anchor is not written before it (found by the fuzz test)', async () => {
    const problems = await problemsOf({ 'docker-compose.yml': 'services:\n  web:\n    image: *img\n' });
    expect(problems).toEqual([{ file: 'docker-compose.yml', line: 3, column: 12, key: 'services.web.image', message: 'alias *img names no anchor &img written before it' }]);
  });

  it('reports duplicate keys', async () => {
    const problems = await problemsOf({ 'docker-compose.yml': 'services:\n  web:\n    image: a\n    image: b\n' });
    expect(problems[0]).toMatchObject({ line: 4, message: expect.stringContaining('unique') });
  });

  it('reports every wrong type at once with its key path', async () => {
    const problems = await problemsOf({
      'docker-compose.yml': [
        'services:',
        '  web:',
        '    image: nginx',
        '    ports: 80',
        '    environment: 5',
        '    healthcheck:',
        '      interval: soon',
        '      retries: many',
        '    deploy:',
        '      replicas: -1',
        '    mem_limit: lots',
        '    volumes:',
        '      - data:relative',
        '',
      ].join('\n'),
    });
    expect(problems.map((p) => [p.line, p.column, p.key])).toEqual([
      [4, 12, 'services.web.ports'],
      [5, 18, 'services.web.environment'],
      [7, 17, 'services.web.healthcheck.interval'],
      [8, 16, 'services.web.healthcheck.retries'],
      [10, 17, 'services.web.deploy.replicas'],
      [11, 16, 'services.web.mem_limit'],
      [13, 9, 'services.web.volumes[0]'],
    ]);
    expect(problems[0]?.message).toBe('must be a list of ports, not number');
  });

  it('refuses a file with no services and volumes_from a missing service', async () => {
    expect((await problemsOf({ 'docker-compose.yml': "version: '2'\n" }))[0]?.message).toContain('no "services" key');
    const problems = await problemsOf({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    volumes_from: [ghost]\n' });
    expect(problems[0]).toMatchObject({ line: 4, key: 'services.web.volumes_from', message: '"ghost" is not a service here, so its volumes cannot be mounted' });
  });
});

describe('loadCompose: several files, extends, env_file, profiles', () => {
  it('merges later -f files as docker compose does', async () => {
    const { project: p } = await load(
      {
        'docker-compose.yml': 'services:\n  web:\n    image: nginx:1\n    command: ["a"]\n    ports: ["80:80"]\n    environment: { A: "1", B: "1" }\n    volumes: ["data:/data", "./conf:/conf"]\nvolumes: { data: {} }\n',
        'override.yml': 'services:\n  web:\n    image: nginx:2\n    ports: ["443:443"]\n    environment: { B: "2" }\n    volumes: ["./other:/conf"]\n  extra:\n    image: redis\n',
      },
      { files: ['docker-compose.yml', 'override.yml'] },
    );
    const web = p.services.find((s) => s.name === 'web');
    expect(web?.image).toBe('nginx:2');
    expect(web?.command).toEqual(['a']);
    expect(web?.ports.map((x) => x.target)).toEqual([80, 443]);
    expect(Object.fromEntries(web?.environment ?? [])).toEqual({ A: '1', B: '2' });
    expect(web?.volumes.map((v) => `${v.type === 'anonymous' || v.type === 'tmpfs' ? '' : v.source}:${v.target}`)).toEqual(['data:/data', './other:/conf']);
    expect(p.services.map((s) => s.name)).toEqual(['web', 'extra']);
  });

  it('resolves extends from the same file and another, keeping links with the child', async () => {
    const { project: p } = await load({
      'common.yml': 'services:\n  base:\n    image: python:3\n    environment: { LEVEL: base, KEEP: yes }\n    links: [db]\n',
      'docker-compose.yml':
        'services:\n  db:\n    image: postgres\n  worker:\n    extends: { file: common.yml, service: base }\n    environment: { LEVEL: worker }\n  beat:\n    extends: worker\n    command: celery beat\n',
    });
    const beat = p.services.find((s) => s.name === 'beat');
    expect(beat?.image).toBe('python:3');
    expect(beat?.command).toEqual(['celery', 'beat']);
    expect(Object.fromEntries(beat?.environment ?? [])).toEqual({ LEVEL: 'worker', KEEP: 'yes' });
    expect(beat?.links).toEqual([]);
  });

  it('refuses an extends loop, naming it', async () => {
    const problems = await problemsOf({ 'docker-compose.yml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n' });
    expect(problems[0]?.message).toMatch(/extends loops: a -> b -> a/);
  });

  it('reads env_file below environment, and warns when one is missing', async () => {
    const { project: p } = await load({
      'web.env': 'FROM_FILE=1\nOVERRIDDEN=file\n',
      'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    env_file: [web.env, missing.env]\n    environment: { OVERRIDDEN: compose }\n',
    });
    expect(Object.fromEntries(p.services[0]?.environment ?? [])).toEqual({ FROM_FILE: '1', OVERRIDDEN: 'compose' });
    expect(p.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/env_file .*missing\.env cannot be read \(ENOENT\)/)]);
  });

  it('leaves out services of profiles that are not enabled', async () => {
    const files = { 'docker-compose.yml': 'services:\n  web:\n    image: nginx\n  debug:\n    image: busybox\n    profiles: [debug]\n' };
    expect((await load(files)).project.services.map((s) => s.name)).toEqual(['web']);
    expect((await load(files, { profiles: ['debug'] })).project.services.map((s) => s.name)).toEqual(['web', 'debug']);
    expect((await load(files, { env: { COMPOSE_PROFILES: 'debug' } })).project.services.map((s) => s.name)).toEqual(['web', 'debug']);
  });
});

describe('loadCompose: include', () => {
  const including = 'include:\n  - db/compose.yml\nservices:\n  web:\n    image: nginx\n    depends_on: [db]\n';

  it('adds the included services, volumes, secrets and networks; their paths point into their own folder, their variables come from their .env', async () => {
    const { dir, project: p } = await load({
      'docker-compose.yml': including,
      'db/compose.yml': 'services:\n  db:\n    image: "postgres:${PG_TAG}"\n    env_file: db.env\n    secrets: [pw]\n    volumes: ["./init:/docker-entrypoint-initdb.d", "data:/var/lib/postgresql/data"]\n    networks: [back]\nvolumes:\n  data: {}\nsecrets:\n  pw:\n    file: ./pw.txt\nnetworks:\n  back: {}\n',
      'db/.env': 'PG_TAG=16\n',
      'db/db.env': 'POSTGRES_DB=qed\n',
    });
    expect(p.services.map((s) => s.name).sort()).toEqual(['db', 'web']);
    const db = p.services.find((s) => s.name === 'db');
    expect(db?.image).toBe('postgres:16');
    expect(db?.environment.get('POSTGRES_DB')).toBe('qed');
    expect(db?.volumes[0]).toMatchObject({ type: 'bind', source: path.join(dir, 'db', 'init') });
    expect(p.secrets.get('pw')?.file).toBe(path.join(dir, 'db', 'pw.txt'));
    expect([...p.volumes.keys()]).toEqual(['data']);
    expect([...p.networks.keys()]).toEqual(['back']);
    expect(p.warnings).toEqual([]);
  });

  it('the long form: several files merged, project_directory and env_file', async () => {
    const { dir, project: p } = await load({
      'docker-compose.yml': 'include:\n  - path: [lib/base.yml, lib/override.yml]\n    project_directory: app\n    env_file: lib/vars.env\n',
      'lib/base.yml': 'services:\n  api:\n    image: "api:${API_TAG}"\n    volumes: ["./src:/src"]\n',
      'lib/override.yml': 'services:\n  api:\n    environment: { MODE: dev }\n',
      'lib/vars.env': 'API_TAG=2\n',
    });
    expect(p.services[0]).toMatchObject({ name: 'api', image: 'api:2' });
    expect(p.services[0]?.environment.get('MODE')).toBe('dev');
    expect(p.services[0]?.volumes[0]).toMatchObject({ source: path.join(dir, 'app', 'src') });
  });

  it('our environment wins over the included .env', async () => {
    const { project: p } = await load({ 'docker-compose.yml': including, 'db/compose.yml': 'services:\n  db:\n    image: "postgres:${PG_TAG}"\n', 'db/.env': 'PG_TAG=16\n' }, { env: { PG_TAG: '17' } });
    expect(p.services.find((s) => s.name === 'db')?.image).toBe('postgres:17');
  });

  it('a missing file is an error at the include entry', async () => {
    expect(await problemsOf({ 'docker-compose.yml': including })).toEqual([
      expect.objectContaining({ file: 'docker-compose.yml', line: 2, key: 'include', message: expect.stringMatching(/^cannot include \S+db\/compose\.yml \(ENOENT\): fix the path \(relative to docker-compose\.yml\)$/) }),
    ]);
  });

  it('a loop is an error naming the chain, at the entry that closes it', async () => {
    const problems = await problemsOf({
      'docker-compose.yml': including,
      'db/compose.yml': 'include:\n  - ../docker-compose.yml\nservices:\n  db:\n    image: postgres\n',
    });
    expect(problems.map((p) => `${p.file}:${p.line} ${p.key}: ${p.message}`)).toEqual(['compose.yml:2 include: include loops: docker-compose.yml -> compose.yml -> docker-compose.yml']);
  });

  it('what the including file defines again is laid over the included definition, as compose-go (kompose’s loader) merges it', async () => {
    const { project: p } = await load({
      'docker-compose.yml': 'include: [db.yml]\nservices:\n  db:\n    image: postgres:17\n    environment: { B: "2" }\n',
      'db.yml': 'services:\n  db:\n    image: postgres:16\n    environment: { A: "1" }\n',
    });
    expect(p.services.map((s) => [s.name, s.image, Object.fromEntries(s.environment)])).toEqual([['db', 'postgres:17', { A: '1', B: '2' }]]);
  });
});

describe('loadCompose: networks', () => {
  it('a service on a network no top-level entry defines is refused, as docker compose refuses it', async () => {
    const problems = await problemsOf({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    networks: [front, default]\nnetworks:\n  back: {}\n' });
    expect(problems.map((p) => `${p.line} ${p.key}: ${p.message}`)).toEqual(['4 services.web.networks: network "front" is not defined under the top-level networks (defined: back)']);
  });

  it('network_mode service:X needs a service X', async () => {
    const problems = await problemsOf({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    network_mode: "service:vpn"\n' });
    expect(problems.map((p) => `${p.line} ${p.key}: ${p.message}`)).toEqual(['4 services.web.network_mode: "vpn" is not a service here, so its network cannot be joined']);
  });
});
