import path from 'node:path';
import { type Clock, ensureQedDir, fileAccessError, type HeldLock, lockedElsewhere, type LockOwner, QedError, shellQuote, tryLockFile, UNREADABLE_LOCK_TAKEOVER_MS } from '@qed/core';

/**
 * Takes the folder's run lock, or stops with BOOTSTRAP_LOCKED naming the run that
 * holds it. A lock left by a run that is gone (killed, or the machine restarted)
 * is taken over, and `onNotice` says so. A folder the lock cannot be made in (not
 * ours, a read-only or full disk) stops with FILE_ACCESS_FAILED naming it.
 */
export async function acquireRunLock(lockFile: string, options: { command: string; onNotice: (message: string) => void; clock?: Clock }): Promise<HeldLock> {
  await ensureQedDir(path.dirname(lockFile)).catch((error: unknown) => {
    throw fileAccessError(error, path.dirname(lockFile), 'create the folder');
  });
  const attempt = await tryLockFile(lockFile, { command: options.command, ...(options.clock ? { clock: options.clock } : {}) });
  if (!attempt.acquired) throw runLocked(lockFile, attempt.holder);
  const { tookOver } = attempt;
  if (tookOver) options.onNotice(`took over ${lockFile}: it was left by ${tookOver.owner ? describeHolder(tookOver.owner) : 'a run that wrote no PID into it'}, ${tookOver.reason}`);
  return attempt.lock;
}

function runLocked(lockFile: string, holder: LockOwner | null): QedError {
  const remove = `rm ${shellQuote(lockFile)}`;
  if (!holder) {
    return new QedError('BOOTSTRAP_LOCKED', `${lockFile} is there but names no process: another qed-bootstrap run may be starting this instant, or the file is damaged`, {
      hint: `Run the command again in a moment: a lock that still names no process ${Math.round(UNREADABLE_LOCK_TAKEOVER_MS / 1000)} seconds after it was written is taken over by itself.`,
      data: { lockFile },
    });
  }
  const elsewhere = lockedElsewhere(holder);
  return new QedError('BOOTSTRAP_LOCKED', `another qed-bootstrap run is going on in this folder: ${describeHolder(holder)} holds ${lockFile}`, {
    hint: [
      `Wait for it to finish, or stop it (Ctrl-C in its terminal, or \`kill ${holder.pid}\`${elsewhere ? ` on ${elsewhere}` : ''}); then run the command again: it resumes where that run stopped.`,
      elsewhere
        ? `A lock taken on another machine is never taken over from here: if no qed-bootstrap run is PID ${holder.pid} on ${elsewhere} (or ${elsewhere} was this machine's own name before the network changed it), delete the lock (\`${remove}\`).`
        : `A lock whose run has gone is taken over by itself; only if PID ${holder.pid} is not a qed-bootstrap run, delete the lock (\`${remove}\`).`,
    ].join(' '),
    data: { lockFile, pid: holder.pid, ...(holder.hostname ? { hostname: holder.hostname } : {}), ...(holder.command ? { command: holder.command } : {}), ...(holder.acquiredAt ? { since: holder.acquiredAt } : {}) },
  });
}

function describeHolder(holder: LockOwner): string {
  const elsewhere = lockedElsewhere(holder);
  const what = [holder.command, holder.acquiredAt ? `started ${holder.acquiredAt}` : null, elsewhere ? `on ${elsewhere}` : null].filter(Boolean).join(', ');
  return `PID ${holder.pid}${what ? ` (${what})` : ''}`;
}
