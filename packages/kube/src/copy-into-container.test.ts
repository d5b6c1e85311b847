import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { extract, type Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivePath, packFiles } from './copy-into-container.js';

async function entriesOf(archive: Buffer): Promise<Array<Pick<Header, 'name' | 'mode' | 'mtime' | 'size' | 'type' | 'uid' | 'gid'> & { content: string }>> {
  const reader = extract();
  const entries: Array<Pick<Header, 'name' | 'mode' | 'mtime' | 'size' | 'type' | 'uid' | 'gid'> & { content: string }> = [];
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const { name, mode, mtime, size, type, uid, gid } = entry.header;
      entries.push({ name, mode, mtime, size, type, uid, gid, content: Buffer.concat(chunks).toString() });
    }
  })();
  reader.end(archive);
  await done;
  return entries;
}

describe('packFiles', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'qed-pack-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('packs each file at its destination below /, with the source permission bits and modification time, owned by root', async () => {
    const page = path.join(dir, 'index.html');
    const script = path.join(dir, 'run.sh');
    await writeFile(page, 'hello\n');
    await writeFile(script, '#!/bin/sh\n');
    await chmod(page, 0o640);
    await chmod(script, 0o755);
    const when = new Date('2026-12-01T10:00:00Z');
    const later = new Date('2026-12-02T11:30:00Z');
    await utimes(page, when, when);
    await utimes(script, later, later);
    const archive = await packFiles([
      { source: page, dest: '/srv/site/index.html' },
      { source: script, dest: '/usr/local/bin/run.sh' },
    ]);
    expect(await entriesOf(archive)).toEqual([
      { name: 'srv/site/index.html', mode: 0o640, mtime: when, size: 6, type: 'file', uid: 0, gid: 0, content: 'hello\n' },
      { name: 'usr/local/bin/run.sh', mode: 0o755, mtime: later, size: 10, type: 'file', uid: 0, gid: 0, content: '#!/bin/sh\n' },
    ]);
  });

  it('pads the archive to whole 10240-byte records, as GNU tar writes them', async () => {
    const file = path.join(dir, 'a.txt');
    await writeFile(file, 'a');
    const archive = await packFiles([{ source: file, dest: '/a.txt' }]);
    expect(archive.length % 10240).toBe(0);
    expect(archive.length).toBe(10240);
  });

  it('keeps a path longer than 100 bytes whole', async () => {
    const file = path.join(dir, 'deep.txt');
    await writeFile(file, 'deep');
    const dest = `/${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}.txt`;
    const [entry] = await entriesOf(await packFiles([{ source: file, dest }]));
    expect(entry?.name).toBe(dest.slice(1));
  });

  // GNU tar, the extractor most images have: what the container will run, here on this machine.
  it.runIf(spawnSync('tar', ['--version']).status === 0)('extracts with `tar -xmf - -C DIR` to the destinations, modes kept', async () => {
    const file = path.join(dir, 'conf.txt');
    await writeFile(file, 'conf');
    await chmod(file, 0o604);
    const root = path.join(dir, 'root');
    await mkdir(root);
    const result = spawnSync('tar', ['-xmf', '-', '-C', root], { input: await packFiles([{ source: file, dest: '/etc/app/conf.txt' }]) });
    expect(result.status, result.stderr.toString()).toBe(0);
    expect(await readFile(path.join(root, 'etc/app/conf.txt'), 'utf8')).toBe('conf');
    expect((await stat(path.join(root, 'etc/app/conf.txt'))).mode & 0o777).toBe(0o604);
  });
});

describe('archivePath', () => {
  it.each([
    ['/srv/site/index.html', 'srv/site/index.html'],
    ['/srv//site/./a.css', 'srv/site/a.css'],
    ['/../etc/x', 'etc/x'],
  ])('%s -> %s', (dest, expected) => {
    expect(archivePath(dest)).toBe(expected);
  });

  it('refuses a relative destination or a folder', () => {
    expect(() => archivePath('srv/a')).toThrow('is not an absolute path');
    expect(() => archivePath('/')).toThrow('names a folder');
    expect(() => archivePath('/srv/')).toThrow('names a folder');
  });
});
