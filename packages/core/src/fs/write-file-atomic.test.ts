import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeWriteFs, writeFileAtomic } from './write-file-atomic.js';

describe('writeFileAtomic', () => {
  it('replaces the file whole, with the mode given from the start', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-atomic-'));
    const file = path.join(dir, 'secret.yaml');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new', 0o600);
    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['secret.yaml']);
  });

  it('leaves the old file and no temporary file behind when the rename fails', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-atomic-'));
    const file = path.join(dir, 'config.json');
    await writeFile(file, '{"kept":true}');
    const failing = { ...nodeWriteFs, rename: async () => Promise.reject(new Error('disk full')) };
    await expect(writeFileAtomic(file, '{}', 0o644, failing)).rejects.toThrow('disk full');
    expect(await readFile(file, 'utf8')).toBe('{"kept":true}');
    expect(await readdir(dir)).toEqual(['config.json']);
  });
});
