import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeContentTag, listContextFiles } from './content-tag.js';
import { makeTree } from './__fixtures__/test-helpers.js';

const base = {
  Dockerfile: 'FROM scratch\nCOPY . /app\n',
  '.dockerignore': 'node_modules\n*.log\n!keep.log\n',
  'app.py': 'print("hi")\n',
  'pkg/mod.py': 'x = 1\n',
  'node_modules/dep/index.js': 'module.exports = 1\n',
  'debug.log': 'noise\n',
  'keep.log': 'kept\n',
};

async function tagOf(files: Record<string, string>, extra: { args?: Record<string, string>; target?: string } = {}) {
  const context = await makeTree(files);
  return (await computeContentTag({ context, dockerfile: path.join(context, 'Dockerfile'), ...extra })).tag;
}

describe('computeContentTag', () => {
  it('is stable: same content in another folder gives the same tag, in docker tag syntax', async () => {
    const first = await tagOf(base);
    expect(await tagOf(base)).toBe(first);
    expect(first).toMatch(/^c-[0-9a-f]{20}$/);
  });

  it.each([
    ['a context file changes', { ...base, 'app.py': 'print("bye")\n' }],
    ['a nested file changes', { ...base, 'pkg/mod.py': 'x = 2\n' }],
    ['a file is added', { ...base, 'new.txt': 'new\n' }],
    ['the Dockerfile changes', { ...base, Dockerfile: 'FROM scratch\nCOPY app.py /\n' }],
    ['a re-included (!pattern) file changes', { ...base, 'keep.log': 'changed\n' }],
    ['.dockerignore stops ignoring something', { ...base, '.dockerignore': 'node_modules\n' }],
  ])('changes when %s', async (_what, files) => {
    expect(await tagOf(files)).not.toBe(await tagOf(base));
  });

  it.each([
    ['an ignored folder changes', { ...base, 'node_modules/dep/index.js': 'module.exports = 2\n' }],
    ['an ignored file changes', { ...base, 'debug.log': 'other noise\n' }],
    ['an ignored file is added', { ...base, 'other.log': 'x\n' }],
  ])('does not change when %s', async (_what, files) => {
    expect(await tagOf(files)).toBe(await tagOf(base));
  });

  it('changes with build args (order-insensitive) and target', async () => {
    const plain = await tagOf(base);
    const withArgs = await tagOf(base, { args: { A: '1', B: '2' } });
    expect(withArgs).not.toBe(plain);
    expect(await tagOf(base, { args: { B: '2', A: '1' } })).toBe(withArgs);
    expect(await tagOf(base, { args: { A: '1', B: '3' } })).not.toBe(withArgs);
    expect(await tagOf(base, { target: 'prod' })).not.toBe(plain);
    expect(await tagOf(base, { target: 'dev' })).not.toBe(await tagOf(base, { target: 'prod' }));
  });

  it('counts a Dockerfile outside the context', async () => {
    const context = await makeTree({ 'a.txt': 'a' });
    const elsewhere = await makeTree({ 'build.Dockerfile': 'FROM scratch\n' });
    const dockerfile = path.join(elsewhere, 'build.Dockerfile');
    const before = await computeContentTag({ context, dockerfile });
    await writeFile(dockerfile, 'FROM scratch\nCOPY a.txt /\n');
    expect((await computeContentTag({ context, dockerfile })).tag).not.toBe(before.tag);
  });
});

describe('listContextFiles', () => {
  it('lists what docker would send, sorted, honouring .dockerignore exceptions', async () => {
    const context = await makeTree(base);
    expect((await listContextFiles(context)).map((f) => f.path)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'app.py',
      'keep.log',
      'pkg/mod.py',
    ]);
  });
});
