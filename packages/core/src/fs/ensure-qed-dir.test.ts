import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { enclosingQedDir, ensureQedDir, nodeDirFs, QED_GITIGNORE } from './ensure-qed-dir.js';

const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'qed-ensure-'));

describe('ensureQedDir', () => {
  it('creates .qed/manifests and a .gitignore in .qed ignoring everything, with a comment saying why', async () => {
    const project = await tempDir();
    await ensureQedDir(path.join(project, '.qed', 'manifests'));
    expect((await stat(path.join(project, '.qed', 'manifests'))).isDirectory()).toBe(true);
    const gitignore = await readFile(path.join(project, '.qed', '.gitignore'), 'utf8');
    expect(gitignore).toBe(QED_GITIGNORE);
    expect(gitignore.split('\n').filter((line) => line && !line.startsWith('#'))).toEqual(['*']);
    expect((await readdir(path.join(project, '.qed'))).sort()).toEqual(['.gitignore', 'manifests']);
  });

  it('writes it into a .qed that already exists without one, and leaves one that is there as it is', async () => {
    const project = await tempDir();
    await mkdir(path.join(project, '.qed'));
    await ensureQedDir(path.join(project, '.qed'));
    expect(await readFile(path.join(project, '.qed', '.gitignore'), 'utf8')).toBe(QED_GITIGNORE);
    await writeFile(path.join(project, '.qed', '.gitignore'), '# mine\n*\n!keep.txt\n');
    await ensureQedDir(path.join(project, '.qed', 'manifests'));
    expect(await readFile(path.join(project, '.qed', '.gitignore'), 'utf8')).toBe('# mine\n*\n!keep.txt\n');
  });

  it('gives the folders the mode asked for (the secrets folder: 0700)', async () => {
    const home = await tempDir();
    await ensureQedDir(path.join(home, '.qed'), { mode: 0o700 });
    expect((await stat(path.join(home, '.qed'))).mode & 0o777).toBe(0o700);
    expect(await readFile(path.join(home, '.qed', '.gitignore'), 'utf8')).toBe(QED_GITIGNORE);
  });

  it('only creates a folder outside any .qed (an --out of the user), writing no .gitignore anywhere', async () => {
    const project = await tempDir();
    await ensureQedDir(path.join(project, 'rendered', 'local'));
    expect(await readdir(project)).toEqual(['rendered']);
    expect(await readdir(path.join(project, 'rendered'))).toEqual(['local']);
  });

  it('goes through the file system it is given, and its failures reach the caller', async () => {
    const project = await tempDir();
    const failing = { ...nodeDirFs, rename: async () => Promise.reject(Object.assign(new Error('read-only'), { code: 'EROFS' })) };
    await expect(ensureQedDir(path.join(project, '.qed'), {}, failing)).rejects.toThrow('read-only');
    // The .gitignore is written whole or not at all: no empty one that would ignore nothing.
    expect(await readdir(path.join(project, '.qed'))).toEqual([]);
  });
});

describe('enclosingQedDir', () => {
  it.each([
    ['/work/app/.qed', '/work/app/.qed'],
    ['/work/app/.qed/manifests', '/work/app/.qed'],
    ['/home/dev/.qed/data/redis', '/home/dev/.qed'],
    ['/work/app/out', null],
    ['/work/app/.qed-old/manifests', null],
    ['/', null],
  ])('%s: %s', (dir, expected) => {
    expect(enclosingQedDir(path.resolve(dir))).toBe(expected === null ? null : path.resolve(expected));
  });
});
