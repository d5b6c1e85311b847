import { tryLockFile } from '@qed/core';
import { sleep } from './processes.js';

/**
 * An exclusive lock between processes (several vitest runs may bring the
 * environment up or down at once), waited for up to `timeoutMs`. The lock file
 * itself is @qed/core's (tryLockFile): it holds its owner's PID, so a lock left
 * by a process that died is taken over rather than waited on forever.
 */
export async function withLock<T>(lockFile: string, timeoutMs: number, body: () => Promise<T>): Promise<T> {
  const lock = await holdLock(lockFile, timeoutMs);
  try {
    return await body();
  } finally {
    await lock.release();
  }
}

/** Takes the lock and keeps it until release() (for a hold that spans a whole test run). */
export async function holdLock(lockFile: string, timeoutMs: number): Promise<{ release: () => Promise<void> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const attempt = await tryLockFile(lockFile, { command: `testenv (${process.argv.slice(1).join(' ')})` });
    if (attempt.acquired) return attempt.lock;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockFile} (held by PID ${attempt.holder?.pid ?? 'unknown'})`);
    await sleep(200);
  }
}
