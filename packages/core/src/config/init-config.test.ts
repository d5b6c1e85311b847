import { mkdir, mkdtemp, realpath, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findImageContexts, formatInitConfig } from './init-config.js';
import { loadConfig, parseConfig } from './load-config.js';
import { DEFAULT_IMAGES } from './qed-config.js';

/** Folders (with the files in them) under a new temporary folder; returns its real path. */
async function tree(files: string[]): Promise<string> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'qed-init-')));
  for (const file of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    if (!file.endsWith('/')) await writeFile(path.join(root, file), 'FROM scratch\n');
  }
  return root;
}

/** A QED checkout as github.com/quanted/qed lays it out, with its submodules checked out. */
const QED_CHECKOUT = [
  'qed/Dockerfile',
  'qed/Dask_Dockerfile',
  'qed/Dockerfile_Tomcat',
  'qed/qed_nginx/Dockerfile',
  'qed/flask_qed/Dockerfile',
  'qed/cts_nodejs/Dockerfile',
  'qed/cts_celery/Dockerfile',
  'qed/windows/hms/Dockerfile',
  'qed/cts_app/',
];

const contexts = (found: Map<string, { context: string; dockerfile: string }>, root: string) =>
  Object.fromEntries([...found].map(([name, at]) => [name, `${path.relative(root, at.context)}:${at.dockerfile}`]));

describe('findImageContexts', () => {
  it('in a QED checkout: each QED image where the checkout keeps its Dockerfile; third-party ones are not looked for', async () => {
    const root = await tree(QED_CHECKOUT);
    expect(contexts(await findImageContexts([path.join(root, 'qed')]), root)).toEqual({
      'qed-django': 'qed:Dockerfile',
      'qed-dask': 'qed:Dask_Dockerfile',
      'qed-tomcat': 'qed:Dockerfile_Tomcat',
      'qed-nginx': 'qed/qed_nginx:Dockerfile',
      'flask-qed': 'qed/flask_qed:Dockerfile',
      'cts-nodejs': 'qed/cts_nodejs:Dockerfile',
      'cts-celery': 'qed/cts_celery:Dockerfile',
      'hms-dotnetcore': 'qed/windows/hms:Dockerfile',
    });
  });

  it('from a folder beside the checkout, through the parent; folders named like an image but without a Dockerfile, hidden ones and node_modules are passed over', async () => {
    const root = await tree([
      ...QED_CHECKOUT.filter((f) => !f.includes('qed_nginx')),
      'qed/qed_nginx/README.md',
      'qed/node_modules/qed-nginx/Dockerfile',
      'qed/.cache/qed_nginx/Dockerfile',
      'postgis/Dockerfile',
      'work/',
    ]);
    const found = await findImageContexts([path.join(root, 'work'), root]);
    expect(found.has('qed-nginx')).toBe(false);
    expect(found.has('postgis')).toBe(false);
    expect(found.get('flask-qed')).toEqual({ context: path.join(root, 'qed', 'flask_qed'), dockerfile: 'Dockerfile' });
  });

  it('names compare without case, `-` and `_` alike; the first root given wins', async () => {
    const root = await tree(['mine/QED-Nginx/Dockerfile', 'theirs/qed_nginx/Dockerfile']);
    expect((await findImageContexts([path.join(root, 'theirs'), path.join(root, 'mine')])).get('qed-nginx')?.context).toBe(path.join(root, 'theirs', 'qed_nginx'));
    expect((await findImageContexts([path.join(root, 'mine'), path.join(root, 'theirs')])).get('qed-nginx')?.context).toBe(path.join(root, 'mine', 'QED-Nginx'));
  });
});

describe('formatInitConfig', () => {
  it('loads with the config loader: the contexts found, relative to the file, every other image remote', async () => {
    const root = await tree(QED_CHECKOUT);
    const configDir = path.join(root, 'qed');
    const init = formatInitConfig(configDir, await findImageContexts([configDir]));
    await writeFile(path.join(configDir, 'qed.config.yaml'), init.text);
    const { config, file } = await loadConfig({ cwd: configDir, homeDir: '/home/me' });
    expect(file).toBe(path.join(configDir, 'qed.config.yaml'));
    const byName = Object.fromEntries(config.images.map((i) => [i.name, i]));
    expect(byName['qed-nginx']).toEqual({ name: 'qed-nginx', source: 'quanted/qed_nginx:latest', context: path.join(configDir, 'qed_nginx') });
    expect(byName['qed-dask']).toMatchObject({ context: configDir, dockerfile: 'Dask_Dockerfile' });
    expect(byName['hms-dotnetcore']).toMatchObject({ context: path.join(configDir, 'windows', 'hms') });
    expect(byName.postgis).toEqual({ name: 'postgis', source: 'mdillon/postgis:latest' });
    expect(config.images.map((i) => i.name)).toEqual(DEFAULT_IMAGES.map((i) => i.name));
    // Only images is set: the rest are the defaults.
    expect(config.cluster.cpus).toBe(4);
    expect(init.config.images.find((i) => i.name === 'qed-django')?.context).toBe('.');
  });

  it('reads back the same under YAML 1.1 (kubectl\'s reader) and 1.2, comments aside', () => {
    const init = formatInitConfig('/work/qed', new Map([['qed-nginx', { context: '/work/qed/qed_nginx', dockerfile: 'Dockerfile' }]]));
    expect(parse(init.text, { version: '1.1' })).toEqual(init.config);
    expect(parse(init.text)).toEqual(init.config);
  });

  it('is commented: what it is, how to check it, and the other keys at their defaults, which load when uncommented', () => {
    const { text } = formatInitConfig('/work/qed', new Map());
    expect(text).toMatch(/^# qed-bootstrap project config, written by `qed-bootstrap init`\./);
    expect(text).toContain('`qed-bootstrap config validate` checks this file');
    expect(text).toContain('# No QED repository with a Dockerfile was found: add a context to each image you build.');
    const defaults = text
      .split('\n')
      .filter((line) => line.startsWith('#   '))
      .map((line) => line.slice(4))
      .join('\n');
    expect(parseConfig(defaults, '/work/qed/qed.config.yaml', '/home/me')).toMatchObject({
      cluster: { profile: 'minikube', driver: 'auto', cpus: 4, memoryMb: 8192 },
      registry: { host: '127.0.0.1:5000' },
      namespace: 'qed',
      dataRoot: '/home/me/.qed/data',
    });
  });

  it('writes contexts with / on every OS and names a Dockerfile only when it is not `Dockerfile`', () => {
    const init = formatInitConfig(path.join('/', 'src', 'bootstrap'), new Map([
      ['qed-tomcat', { context: path.join('/', 'src', 'qed'), dockerfile: 'Dockerfile_Tomcat' }],
      ['hms-dotnetcore', { context: path.join('/', 'src', 'qed', 'windows', 'hms'), dockerfile: 'Dockerfile' }],
    ]));
    const byName = Object.fromEntries(init.config.images.map((i) => [i.name, i]));
    expect(byName['qed-tomcat']).toMatchObject({ context: '../qed', dockerfile: 'Dockerfile_Tomcat' });
    expect(byName['hms-dotnetcore']).toEqual({ name: 'hms-dotnetcore', source: 'quanted/hms-dotnetcore:latest', context: '../qed/windows/hms' });
  });
});
