import { open, readFile, rm } from 'node:fs/promises';
import { isAlive, sleep } from './processes.js';

/**
 * An exclusive lock between processes (several vitest runs may bring the
 * environment up or down at once). The lock file holds its owner's PID, so a lock
 * left by a process that died is taken over rather than waited on forever.
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
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
      if (!Number.isNaN(owner) && owner !== process.pid && !isAlive(owner)) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockFile} (held by PID ${owner})`);
      await sleep(200);
    }
  }
  return { release: () => rm(lockFile, { force: true }) };
}
