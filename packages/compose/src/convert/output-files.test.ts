import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KubeObject } from '@qed/manifests';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LOCAL_PROFILE } from '../corpus-test-support.js';
import { loadCompose } from '../load-compose.js';
import { convertProject } from './convert-project.js';
import { convertSnippet } from './convert-test-support.js';
import { convertedFiles, formatStream, inNamespace, withoutConvertAnnotations, writeConvertedFiles } from './output-files.js';

// Values a compose file quotes because, plain, YAML 1.1 (kubectl's YAML) reads them as
// a boolean or a number; and one that needs no quotes. Each with how it must be written.
const ENV: Array<[name: string, value: string, written: string]> = [
  ['ACCEPT_EULA', 'Y', '"Y"'],
  ['MSSQL_ENABLE_HADR', 'off', '"off"'],
  ['UMASK', '0755', '"0755"'],
  ['MAX_FDS', '0o17', '"0o17"'],
  ['HEX_MASK', '0X1F', '"0X1F"'],
  ['PLAIN', 'server', 'server'],
];

const COMPOSE = [
  'services:',
  '  mssql:',
  '    image: mcr.microsoft.com/mssql/server',
  '    environment:',
  ...ENV.map(([name, value]) => `      ${name}: "${value}"`),
  '',
].join('\n');

async function convertCompose(): Promise<{ dir: string; objects: KubeObject[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-output-files-'));
  await writeFile(path.join(dir, 'docker-compose.yml'), COMPOSE);
  const project = await loadCompose({ files: ['docker-compose.yml'], env: {}, cwd: dir });
  const { objects } = await convertProject(project, LOCAL_PROFILE);
  return { dir, objects };
}

function expectQuotedWhereNeeded(text: string): void {
  for (const [name, , written] of ENV)
    expect(text, name).toContain(`- name: ${name}\n              value: ${written}\n`);
}

describe('convert output: strings a YAML 1.1 reader (kubectl) would not read as strings are quoted', () => {
  it('ACCEPT_EULA: "Y" is written "Y", not Y (which the API server reads as true)', async () => {
    const { dir, objects } = await convertCompose();
    const out = path.join(dir, 'k8s');
    await mkdir(out);
    await writeConvertedFiles(out, convertedFiles(objects));
    const deployment = await readFile(path.join(out, 'mssql-deployment.yml'), 'utf8');
    expectQuotedWhereNeeded(deployment);
    const env = parse(deployment, { version: '1.1' }).spec.template.spec.containers[0].env;
    expect(env).toEqual(ENV.map(([name, value]) => ({ name, value })));
  });

  it('the printed stream (convert without --out) quotes them the same way', async () => {
    const { objects } = await convertCompose();
    expectQuotedWhereNeeded(formatStream(objects, { revealSecrets: false }));
  });
});

describe('convert output: --json and --namespace', () => {
  it('--json: one JSON file per object (.json), read back as the same objects; Secrets still 0600', async () => {
    const { objects } = await convertCompose();
    const files = convertedFiles(objects, 'json');
    expect(files.map((f) => f.name)).toEqual(['mssql-deployment.json']);
    expect(JSON.parse(files[0]?.text ?? '')).toEqual(objects[0]);
    const secret = convertedFiles([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' } }], 'json');
    expect(secret[0]).toMatchObject({ name: 's-secret.json', secret: true });
  });

  it('--json --stdout: one v1 List, Secret values masked', () => {
    const text = formatStream([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' } }], { revealSecrets: false, format: 'json' });
    expect(JSON.parse(text)).toEqual({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: '***' } }] });
  });

  it('--namespace: every namespaced object in it (name, then namespace), a Namespace first; PersistentVolumes stay cluster-wide', () => {
    const placed = inNamespace(
      [
        { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { a: 'b' }, namespace: 'other' } },
      ],
      'team-a',
    );
    expect(placed).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
      { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team-a', labels: { a: 'b' } } },
    ]);
    expect(Object.keys(placed[2]?.metadata ?? {})).toEqual(['name', 'namespace', 'labels']);
    expect(inNamespace([], 'default')).toEqual([]);
  });
});

describe('convert output: --with-kompose-annotation=false', () => {
  it("leaves out convert's own annotations on objects and pod templates (CronJobs too); compose labels stay", async () => {
    const r = await convertSnippet(
      [
        'services:',
        '  web:',
        '    image: nginx',
        '    ports: ["80:80"]',
        '    labels: { team: web }',
        '    depends_on: [tick]',
        '  tick:',
        '    image: busybox',
        '    labels: { kompose.cronjob.schedule: "* * * * *" }',
        '',
      ].join('\n'),
    );
    const stripped = withoutConvertAnnotations(r.objects);
    const annotationsOf = (o: KubeObject) => {
      const spec = o.spec as { template?: { metadata?: { annotations?: unknown } }; jobTemplate?: { spec: { template: { metadata?: { annotations?: unknown } } } } } | undefined;
      return [o.metadata.annotations, spec?.template?.metadata?.annotations, spec?.jobTemplate?.spec.template.metadata?.annotations];
    };
    expect(stripped.map((o) => [`${o.kind}/${o.metadata.name}`, annotationsOf(o)])).toEqual([
      ['Service/web', [undefined, undefined, undefined]],
      ['Deployment/web', [{ team: 'web' }, undefined, undefined]],
      ['CronJob/tick', [undefined, undefined, undefined]],
    ]);
    expect(JSON.stringify(r.objects)).toContain('compose.qed-bootstrap/depends-on');
  });
});
