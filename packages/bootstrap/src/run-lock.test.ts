import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatLockFile, isQedError, type QedError } from '@qed/core';
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
  it('creates .qed when there is none yet', async () => {
    const lockFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-run-lock-')), '.qed', 'bootstrap.lock');
    const lock = await acquireRunLock(lockFile, { command: 'npx qed-bootstrap', onNotice: () => undefined });
    expect(lock.file).toBe(lockFile);
    await lock.release();
  });

  it('a lock taken on another machine (a shared folder) is held, and the message says where', async () => {
    const lockFile = await lockIn(formatLockFile({ pid: 4242, hostname: 'build-box', processStart: null, acquiredAt: '2026-01-02T03:04:05.000Z', command: 'npx qed-bootstrap --yes' }));
    const { message, hint } = await refusal(lockFile);
    expect(message).toBe(`another qed-bootstrap run is going on in this folder: PID 4242 (npx qed-bootstrap --yes, started 2026-01-02T03:04:05.000Z, on build-box) holds ${lockFile}`);
    expect(hint).toContain('`kill 4242` on build-box');
  });

  it('a lock that names no process (being written this instant, or damaged) is held, and the hint says when to delete it', async () => {
    const lockFile = await lockIn('');
    const { message, hint } = await refusal(lockFile);
    expect(message).toBe(`${lockFile} is there but names no process: another qed-bootstrap run may be starting this instant, or the file is damaged`);
    expect(hint).toContain(`\`rm ${lockFile}\``);
  });
});
