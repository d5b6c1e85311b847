import { mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatLockFile, isQedError, QED_GITIGNORE, type QedError, UNREADABLE_LOCK_TAKEOVER_MS } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { acquireRunLock } from './run-lock.js';

const lockIn = async (content: string) => {
  const lockFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-run-lock-')), '.qed', 'bootstrap.lock');
  await mkdir(path.dirname(lockFile));
  await writeFile(lockFile, content);
  return lockFile;
};
const refusal = async (lockFile: string) => {
  const error = await acquireRunLock(lockFile, { command: 'npx qed-bootstrap', onNotice: () => undefined }).catch((e: unknown) => e);
  expect(isQedError(error, 'BOOTSTRAP_LOCKED'), String(error)).toBe(true);
  return error as QedError;
};

describe('acquireRunLock', () => {
  it('creates .qed when there is none yet, with its .gitignore', async () => {
    const lockFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-run-lock-')), '.qed', 'bootstrap.lock');
    const lock = await acquireRunLock(lockFile, { command: 'npx qed-bootstrap', onNotice: () => undefined });
    expect(lock.file).toBe(lockFile);
    expect(await readFile(path.join(path.dirname(lockFile), '.gitignore'), 'utf8')).toBe(QED_GITIGNORE);
    await lock.release();
  });

  it('a lock taken on another machine (a shared folder) is held, and the message says where', async () => {
    const lockFile = await lockIn(formatLockFile({ pid: 4242, hostname: 'build-box', processStart: null, acquiredAt: '2026-01-02T03:04:05.000Z', command: 'npx qed-bootstrap --yes' }));
    const { message, hint } = await refusal(lockFile);
    expect(message).toBe(`another qed-bootstrap run is going on in this folder: PID 4242 (npx qed-bootstrap --yes, started 2026-01-02T03:04:05.000Z, on build-box) holds ${lockFile}`);
    expect(hint).toContain('`kill 4242` on build-box');
    expect(hint).toContain(`A lock taken on another machine is never taken over from here: if no qed-bootstrap run is PID 4242 on build-box (or build-box was this machine's own name before the network changed it), delete the lock (\`rm ${lockFile}\`).`);
  });

  it('a lock that names no process (being written this instant, or damaged) is held while fresh, and the hint says when it is taken over', async () => {
    const lockFile = await lockIn('');
    const { message, hint } = await refusal(lockFile);
    expect(message).toBe(`${lockFile} is there but names no process: another qed-bootstrap run may be starting this instant, or the file is damaged`);
    expect(hint).toBe('Run the command again in a moment: a lock that still names no process 30 seconds after it was written is taken over by itself.');
  });

  it('a lock that has named no process for longer than that is taken over, with a notice', async () => {
    const lockFile = await lockIn('');
    const then = new Date(Date.now() - UNREADABLE_LOCK_TAKEOVER_MS - 5000);
    await utimes(lockFile, then, then);
    const notices: string[] = [];
    const lock = await acquireRunLock(lockFile, { command: 'npx qed-bootstrap', onNotice: (message) => notices.push(message) });
    expect(notices).toEqual([`took over ${lockFile}: it was left by a run that wrote no PID into it, which named no process (empty or damaged) for more than 30 seconds`]);
    await lock.release();
  });

  it('a .qed that cannot be made (a file in its place) is FILE_ACCESS_FAILED naming it, not a bug', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-run-lock-'));
    await writeFile(path.join(cwd, '.qed'), 'not a folder');
    const lockFile = path.join(cwd, '.qed', 'bootstrap.lock');
    const error = await acquireRunLock(lockFile, { command: 'npx qed-bootstrap', onNotice: () => undefined }).catch((e: unknown) => e);
    expect(isQedError(error, 'FILE_ACCESS_FAILED'), String(error)).toBe(true);
    expect(error).toMatchObject({ message: `cannot create the folder ${path.join(cwd, '.qed')}: a file stands where a folder belongs`, data: { file: path.join(cwd, '.qed') } });
  });
});
