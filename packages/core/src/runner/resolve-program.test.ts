import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBatchFile, resolveProgram } from './resolve-program.js';

/** A folder holding the given files; `exec` ones get the executable bit, names ending in / are folders. */
async function folderWith(files: Record<string, 'exec' | 'plain'>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-resolve-'));
  for (const [name, kind] of Object.entries(files)) {
    if (name.endsWith('/')) {
      await mkdir(path.join(dir, name));
      continue;
    }
    await writeFile(path.join(dir, name), '#!/bin/sh\n');
    await chmod(path.join(dir, name), kind === 'exec' ? 0o755 : 0o644);
  }
  return dir;
}

describe('resolveProgram on POSIX', () => {
  const posix = (searchPath: string, cwd = '/') => ({ platform: 'linux' as const, searchPath, cwd });

  it('finds the first executable file of that name, in PATH order, passing over plain files and folders', async () => {
    const plain = await folderWith({ tool: 'plain' });
    const folder = await folderWith({ 'tool/': 'plain' });
    const first = await folderWith({ tool: 'exec' });
    const second = await folderWith({ tool: 'exec' });
    expect(await resolveProgram('tool', posix([plain, folder, first, second].join(':')))).toBe(path.join(first, 'tool'));
    expect(await resolveProgram('tool', posix([plain, folder].join(':')))).toBeNull();
  });

  it('never searches the current folder, even for an empty PATH entry', async () => {
    const cwd = await folderWith({ tool: 'exec' });
    expect(await resolveProgram('tool', posix(`:${os.tmpdir()}:`, cwd))).toBeNull();
    expect(await resolveProgram('tool', posix('', cwd))).toBeNull();
  });

  it('takes a name with a slash as a path, relative to the cwd, without searching PATH', async () => {
    const cwd = await folderWith({ tool: 'exec' });
    const elsewhere = await folderWith({ tool: 'exec' });
    expect(await resolveProgram('./tool', posix(elsewhere, cwd))).toBe(path.join(cwd, 'tool'));
    expect(await resolveProgram(path.join(elsewhere, 'tool'), posix('', cwd))).toBe(path.join(elsewhere, 'tool'));
    expect(await resolveProgram('./missing', posix(elsewhere, cwd))).toBeNull();
  });
});

describe('resolveProgram as on Windows (names and PATHEXT; the files are made here)', () => {
  const windows = (searchPath: string, pathExt?: string) => ({ platform: 'win32' as const, searchPath, cwd: '/', ...(pathExt ? { pathExt } : {}) });

  it('tries the PATHEXT extensions in order: npm is npm.cmd, never the extensionless sh script beside it', async () => {
    const node = await folderWith({ npm: 'plain', 'npm.cmd': 'plain', 'node.exe': 'plain' });
    expect(await resolveProgram('npm', windows(node, '.COM;.EXE;.BAT;.CMD'))).toBe(path.join(node, 'npm.cmd'));
    expect(await resolveProgram('node', windows(node))).toBe(path.join(node, 'node.exe'));
  });

  it('an .exe earlier in PATHEXT wins over a .cmd in the same folder; an earlier folder wins over both', async () => {
    const both = await folderWith({ 'docker.cmd': 'plain', 'docker.exe': 'plain' });
    const earlier = await folderWith({ 'docker.bat': 'plain' });
    expect(await resolveProgram('docker', windows(both, '.EXE;.CMD'))).toBe(path.join(both, 'docker.exe'));
    expect(await resolveProgram('docker', windows(`${earlier};${both}`, '.EXE;.CMD;.BAT'))).toBe(path.join(earlier, 'docker.bat'));
  });

  it('passes over PATHEXT entries Windows cannot start without a host program (.js, .vbs)', async () => {
    const dir = await folderWith({ 'kubectl.js': 'plain', 'kubectl.exe': 'plain' });
    expect(await resolveProgram('kubectl', windows(dir, '.JS;.VBS;.EXE'))).toBe(path.join(dir, 'kubectl.exe'));
  });

  it('takes a name with its extension as it is, and reads quoted PATH entries', async () => {
    const dir = await folderWith({ 'powershell.exe': 'plain' });
    expect(await resolveProgram('powershell.exe', windows(`"${dir}"`))).toBe(path.join(dir, 'powershell.exe'));
    expect(await resolveProgram('powershell', windows(`"${dir}"`))).toBe(path.join(dir, 'powershell.exe'));
  });
});

describe('isBatchFile', () => {
  it.each([
    ['C:\\Program Files\\nodejs\\npm.cmd', true],
    ['C:\\tools\\build.BAT', true],
    ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', false],
    ['/usr/bin/npm', false],
  ])('%s: %s', (file, expected) => {
    expect(isBatchFile(file)).toBe(expected);
  });
});
