import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type HeldLock, type LockOwner, QedError, shellQuote, tryLockFile } from '@qed/core';

/** .qed/bootstrap.lock: held while a run writes the state file, so two runs in one folder cannot. */
export const LOCK_FILE = path.join('.qed', 'bootstrap.lock');

/**
 * Takes the folder's run lock, or stops with BOOTSTRAP_LOCKED naming the run that
 * holds it. A lock left by a run that is gone (killed, or the machine restarted)
 * is taken over, and `onNotice` says so.
 */
export async function acquireRunLock(lockFile: string, options: { command: string; onNotice: (message: string) => void }): Promise<HeldLock> {
  await mkdir(path.dirname(lockFile), { recursive: true });
  const attempt = await tryLockFile(lockFile, { command: options.command });
  if (!attempt.acquired) throw runLocked(lockFile, attempt.holder);
  if (attempt.tookOver) options.onNotice(`took over ${lockFile}: it was left by ${describeHolder(attempt.tookOver.owner)}, ${attempt.tookOver.reason}`);
  return attempt.lock;
}

function runLocked(lockFile: string, holder: LockOwner | null): QedError {
  const remove = `rm ${shellQuote(lockFile)}`;
  if (!holder) {
    return new QedError('BOOTSTRAP_LOCKED', `${lockFile} is there but names no process: another qed-bootstrap run may be starting this instant, or the file is damaged`, {
      hint: `Run the command again in a moment. If it says the same and no qed-bootstrap runs in this folder, delete the lock (\`${remove}\`).`,
      data: { lockFile },
    });
  }
  const elsewhere = otherHost(holder);
  return new QedError('BOOTSTRAP_LOCKED', `another qed-bootstrap run is going on in this folder: ${describeHolder(holder)} holds ${lockFile}`, {
    hint: [
      `Wait for it to finish, or stop it (Ctrl-C in its terminal, or \`kill ${holder.pid}\`${elsewhere ? ` on ${elsewhere}` : ''}); then run the command again: it resumes where that run stopped.`,
      `A lock whose run has gone is taken over by itself; only if PID ${holder.pid} is not a qed-bootstrap run, delete the lock (\`${remove}\`).`,
    ].join(' '),
    data: { lockFile, pid: holder.pid, ...(holder.hostname ? { hostname: holder.hostname } : {}), ...(holder.command ? { command: holder.command } : {}), ...(holder.acquiredAt ? { since: holder.acquiredAt } : {}) },
  });
}

function describeHolder(holder: LockOwner): string {
  const elsewhere = otherHost(holder);
  const what = [holder.command, holder.acquiredAt ? `started ${holder.acquiredAt}` : null, elsewhere ? `on ${elsewhere}` : null].filter(Boolean).join(', ');
  return `PID ${holder.pid}${what ? ` (${what})` : ''}`;
}

/** The machine the lock was taken on, when it is not this one (a folder shared between machines). */
function otherHost(holder: LockOwner): string | null {
  return holder.hostname !== null && holder.hostname !== os.hostname() ? holder.hostname : null;
}
