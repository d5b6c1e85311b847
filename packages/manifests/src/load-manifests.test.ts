import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isQedError, type QedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { loadManifests, parseManifestText } from './load-manifests.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx
`;

describe('parseManifestText', () => {
  it('reads every document with its start line and locates fields', () => {
    const text = `${DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata: { name: web }\n---\n`;
    const { objects, problems } = parseManifestText(text, 'web.yaml');
    expect(problems).toEqual([]);
    expect(objects.map((o) => [o.object.kind, o.source.documentIndex, o.source.line])).toEqual([
      ['Deployment', 0, 1],
      ['Service', 1, 13],
    ]);
    expect(objects[0]?.source.lineOf(['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe(11);
    // A path that does not exist falls back to the content of its deepest existing parent.
    expect(objects[0]?.source.lineOf(['spec', 'selector', 'matchLabels'])).toBe(6);
  });

  it('reports broken YAML with file, line and column', () => {
    const { problems } = parseManifestText('apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n labels: {}\n', 'bad.yaml');
    expect(problems).toEqual([{ file: 'bad.yaml', line: 5, column: 1, message: 'All mapping items must start at the same column' }]);
  });

  it.each([
    ['kind: Service\nmetadata: { name: x }\n', 'missing apiVersion', 1],
    ['apiVersion: v1\nmetadata: { name: x }\n', 'missing kind', 1],
    ['apiVersion: v1\nkind: Service\n', 'missing metadata', 1],
    // Located at the metadata mapping the name is missing from.
    ['apiVersion: v1\nkind: Service\nmetadata:\n  labels: {}\n', 'missing metadata.name', 4],
    ['- a\n- b\n', 'a manifest document must be a mapping (a Kubernetes object)', 1],
  ])('rejects %j: %s', (text, message, line) => {
    const { problems } = parseManifestText(text, 'f.yaml');
    expect(problems).toEqual([expect.objectContaining({ file: 'f.yaml', message, line })]);
  });
});

describe('loadManifests', () => {
  it('expands directories in name order and reports every problem of every file at once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-load-'));
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'b.yaml'), DEPLOYMENT);
    await writeFile(path.join(dir, 'sub', 'a.yml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n');
    await writeFile(path.join(dir, 'notes.txt'), 'not a manifest');
    const objects = await loadManifests([dir]);
    expect(objects.map((o) => o.object.kind)).toEqual(['Deployment', 'ConfigMap']);

    await writeFile(path.join(dir, 'c.yaml'), 'kind: [\n');
    await writeFile(path.join(dir, 'd.yaml'), 'apiVersion: v1\nkind: Service\n');
    const error = (await loadManifests([dir]).catch((e: unknown) => e)) as QedError;
    expect(isQedError(error, 'MANIFESTS_INVALID')).toBe(true);
    const problems = error.data?.problems as Array<{ file: string }>;
    expect(problems.map((p) => path.basename(p.file))).toEqual(['c.yaml', 'd.yaml']);
    expect(error.message).toMatch(/^2 problems in the manifests:\n {2}.*c\.yaml:2:1: /);
  });

  it('names a path that does not exist', async () => {
    const error = await loadManifests(['/nonexistent/qed']).catch((e: unknown) => e);
    expect(isQedError(error, 'MANIFESTS_NOT_FOUND')).toBe(true);
  });
});
