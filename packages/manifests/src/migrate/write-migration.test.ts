import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isQedError, type QedError } from '@qed/core';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planMigration } from './plan-migration.js';
import { validateMigration } from './validate-migration.js';
import { formatMigratedFile, writeMigration } from './write-migration.js';

const OPTIONS = { dataRoot: '/home/me/qed', hostOs: 'linux' } as const;
const DEPLOYMENT = `apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels: { app: web }
    spec:
      containers: [{ name: web, image: nginx, env: [{ name: FLAG, value: "yes" }, { name: MODE, value: "0755" }] }]
`;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{ port: 80 }]\n';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'qed-migrate-out-'));
}

async function rejection(promise: Promise<unknown>): Promise<QedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isQedError(error)) throw new Error(`expected a QedError, got ${String(error)}`);
  return error;
}

describe('formatMigratedFile', () => {
  it('writes every object as one YAML document that reads back to the same objects', () => {
    const plan = planMigration([{ path: 'in/web.yml', text: `${DEPLOYMENT}---\n${SERVICE}` }], OPTIONS);
    const file = plan.files[0];
    if (!file) throw new Error('no file planned');
    const text = formatMigratedFile(file);
    expect(text.split('\n')[0]).toBe('# Migrated from web.yml by qed-bootstrap manifests migrate.');
    expect(parseAllDocuments(text).map((d) => d.toJS())).toEqual(file.objects);
  });

  it('quotes strings that kubectl, which reads YAML 1.1, would take for booleans or octal numbers', () => {
    const plan = planMigration([{ path: 'web.yml', text: DEPLOYMENT }], OPTIONS);
    const text = plan.files[0] ? formatMigratedFile(plan.files[0]) : '';
    expect(text).toContain('value: "yes"');
    expect(text).toContain('value: "0755"');
    expect(
      parseAllDocuments(text, { version: '1.1' })[0]?.toJS().spec.template.spec.containers[0].env,
    ).toEqual([
      { name: 'FLAG', value: 'yes' },
      { name: 'MODE', value: '0755' },
    ]);
  });

  it('quotes what go-yaml reads as numbers although yaml 1.1 output left it plain (0o17, 0X1F, "<<")', () => {
    const text = DEPLOYMENT.replace('{ name: MODE, value: "0755" }', '{ name: MODE, value: "0o17" }, { name: HEX, value: "0X1F" }, { name: MERGE, value: "<<" }');
    const plan = planMigration([{ path: 'web.yml', text }], OPTIONS);
    const written = plan.files[0] ? formatMigratedFile(plan.files[0]) : '';
    for (const value of ['0o17', '0X1F', '<<']) expect(written).toContain(`value: "${value}"`);
  });
});

describe('writeMigration', () => {
  it('writes one file per input into a new folder and returns their paths, leaving no temporary file', async () => {
    const root = await tempDir();
    const inputs = [
      { path: path.join(root, 'a', 'web.yml'), text: DEPLOYMENT },
      { path: path.join(root, 'b', 'web.yml'), text: SERVICE },
    ];
    const plan = planMigration(inputs, OPTIONS);
    const out = path.join(root, 'out', 'nested');
    const written = await writeMigration(plan, out);
    expect(written).toEqual([path.join(out, 'web.yaml'), path.join(out, 'web-2.yaml')]);
    expect((await readdir(out)).sort()).toEqual(['web-2.yaml', 'web.yaml']);
    expect(await readFile(path.join(out, 'web.yaml'), 'utf8')).toBe(
      plan.files[0] && formatMigratedFile(plan.files[0]),
    );
  });

  it('replaces an earlier output of the same migration: running it twice gives the same files', async () => {
    const root = await tempDir();
    const plan = planMigration([{ path: path.join(root, 'web.yml'), text: DEPLOYMENT }], OPTIONS);
    const out = path.join(root, 'out');
    await writeMigration(plan, out);
    const first = await readFile(path.join(out, 'web.yaml'), 'utf8');
    await writeMigration(plan, out);
    expect(await readFile(path.join(out, 'web.yaml'), 'utf8')).toBe(first);
    expect(await readdir(out)).toEqual(['web.yaml']);
  });

  it('refuses to overwrite an input, before writing anything', async () => {
    const root = await tempDir();
    // web.yaml is both an input and the output name of the first input.
    const inputs = [
      { path: path.join(root, 'web.yml'), text: SERVICE },
      { path: path.join(root, 'web.yaml'), text: DEPLOYMENT },
    ];
    for (const input of inputs) await writeFile(input.path, input.text);
    const plan = planMigration(inputs, OPTIONS);
    const error = await rejection(writeMigration(plan, root));
    expect(error.code).toBe('MIGRATE_WOULD_OVERWRITE_INPUT');
    expect(error.message).toBe(`migrate would overwrite an input file: ${path.join(root, 'web.yaml')}`);
    expect(error.hint).toMatch(/--out DIR/);
    expect(await readFile(path.join(root, 'web.yml'), 'utf8')).toBe(SERVICE);
    expect(await readFile(path.join(root, 'web.yaml'), 'utf8')).toBe(DEPLOYMENT);
    expect((await readdir(root)).sort()).toEqual(['web.yaml', 'web.yml']);
  });

  it('never overwrites a refused input either (--keep-going writes only the others)', async () => {
    const root = await tempDir();
    // web.yaml is refused (a mount naming no volume) and also the output name of web.yml.
    const broken = DEPLOYMENT.replace('image: nginx,', 'image: nginx, volumeMounts: [{ name: nowhere, mountPath: /x }],');
    const inputs = [
      { path: path.join(root, 'web.yml'), text: SERVICE },
      { path: path.join(root, 'web.yaml'), text: broken },
    ];
    for (const input of inputs) await writeFile(input.path, input.text);
    const { plan } = await validateMigration(planMigration(inputs, { ...OPTIONS, keepGoing: true }), { namespace: 'qed' });
    expect(plan.refused.map((r) => r.source)).toEqual([path.join(root, 'web.yaml')]);
    const error = await rejection(writeMigration(plan, root));
    expect(error.code).toBe('MIGRATE_WOULD_OVERWRITE_INPUT');
    expect(await readFile(path.join(root, 'web.yaml'), 'utf8')).toBe(broken);
  });

  it('recognises an input reached through another path (a linked folder) as the same file', async () => {
    const root = await tempDir();
    const input = path.join(root, 'src', 'web.yaml');
    await mkdir(path.join(root, 'src'));
    await writeFile(input, SERVICE);
    await symlink(path.join(root, 'src'), path.join(root, 'out'));
    const plan = planMigration([{ path: input, text: SERVICE }], OPTIONS);
    const error = await rejection(writeMigration(plan, path.join(root, 'out')));
    expect(error.code).toBe('MIGRATE_WOULD_OVERWRITE_INPUT');
    expect(error.message).toBe(
      `migrate would overwrite an input file: ${path.join(root, 'out', 'web.yaml')} (${input})`,
    );
    expect(await readFile(input, 'utf8')).toBe(SERVICE);
  });

  it('names the target when it cannot write', async () => {
    const root = await tempDir();
    const blocker = path.join(root, 'not-a-folder');
    await writeFile(blocker, 'x');
    const plan = planMigration([{ path: path.join(root, 'web.yml'), text: SERVICE }], OPTIONS);
    const error = await rejection(writeMigration(plan, blocker));
    expect(error.code).toBe('MIGRATE_WRITE_FAILED');
    expect(error.message).toBe(`could not write ${blocker}: EEXIST`);
  });
});
