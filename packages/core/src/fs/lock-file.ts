import { readFileSync, rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, processStartToken } from '../platform/process-liveness.js';

/** Who holds a lock file, as written in it. */
export interface LockOwner {
  pid: number;
  /** null in a lock written by an older writer that recorded the PID only (taken as this machine). */
  hostname: string | null;
  /** processStartToken of the holder: tells it apart from a later process given the same PID. */
  processStart: string | null;
  /** ISO time the lock was taken. */
  acquiredAt: string | null;
  /** What the holder is running, for messages. */
  command: string | null;
}

export interface HeldLock {
  file: string;
  owner: LockOwner;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** A lock whose holder is gone, and why it is judged gone. */
export interface StaleLock {
  owner: LockOwner;
  reason: string;
}

export type LockAttempt =
  | { acquired: true; lock: HeldLock; tookOver: StaleLock | null }
  /** `holder` is null when the file cannot be read as a lock (being written this instant, or damaged). */
  | { acquired: false; holder: LockOwner | null };

/**
 * Takes an exclusive lock between processes, or says who holds it; never waits.
 * The file is created with O_EXCL (`wx`), so of two processes only one can; it
 * holds the PID alone on its first line (the pid-file convention, and what older
 * readers parse), then a JSON line with the rest. A lock whose holder has died
 * (or whose PID now belongs to a later process, where the start time can be
 * read: Linux) is taken over. The lock is released by `release()`, or, should
 * the process leave without it (process.exit, an uncaught error), on its exit;
 * only SIGKILL or a crash of the machine leave it behind, to be taken over.
 */
export async function tryLockFile(file: string, options: { command?: string } = {}): Promise<LockAttempt> {
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    processStart: processStartToken(process.pid),
    acquiredAt: new Date().toISOString(),
    command: options.command ?? null,
  };
  const content = formatLockFile(owner);
  let tookOver: StaleLock | null = null;
  let holder: LockOwner | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) await sleep(10 * attempt);
    try {
      await writeFile(file, content, { flag: 'wx', mode: 0o644 });
      return { acquired: true, lock: holdLock(file, owner, content), tookOver };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    // Released in between: try again.
    if (text === null) continue;
    holder = parseLockFile(text);
    if (!holder) return { acquired: false, holder: null };
    const reason = staleReason(holder);
    if (!reason) return { acquired: false, holder };
    if (await removeStaleLock(file, text)) tookOver = { owner: holder, reason };
  }
  return { acquired: false, holder };
}

/** The lock file's content: the PID on the first line, the rest as JSON on the second. */
export function formatLockFile(owner: LockOwner): string {
  return `${owner.pid}\n${JSON.stringify(owner)}\n`;
}

/** Who a lock file names, or null when it names no PID. A PID alone (an older writer) is enough. */
export function parseLockFile(text: string): LockOwner | null {
  const [first = '', second = ''] = text.split('\n');
  if (!/^\d+$/.test(first.trim())) return null;
  const pid = Number(first.trim());
  let details: Partial<Record<keyof LockOwner, unknown>> = {};
  try {
    details = JSON.parse(second) as typeof details;
  } catch {
    // The PID line alone.
  }
  const field = (value: unknown) => (typeof value === 'string' && value ? value : null);
  return { pid, hostname: field(details.hostname), processStart: field(details.processStart), acquiredAt: field(details.acquiredAt), command: field(details.command) };
}

/**
 * Why the holder of a lock is gone, or null when it may still be running. A lock
 * taken on another machine (a shared folder) cannot be checked from here, so it
 * counts as held.
 */
export function staleReason(owner: LockOwner): string | null {
  if (owner.hostname !== null && owner.hostname !== os.hostname()) return null;
  if (!isProcessAlive(owner.pid)) return 'which is no longer running';
  const started = owner.processStart === null ? null : processStartToken(owner.pid);
  if (started !== null && started !== owner.processStart) return 'which has ended (its PID now belongs to another process)';
  return null;
}

/**
 * Removes a stale lock, unless another process got there first. Two processes can
 * judge the same lock stale; if both removed "the lock", the second could remove
 * the new one the first just made. So the removal happens under a second,
 * short-lived lock, and only if the file still holds what was judged stale.
 */
async function removeStaleLock(file: string, staleContent: string): Promise<boolean> {
  const guard = `${file}.takeover`;
  try {
    await writeFile(guard, formatLockFile({ pid: process.pid, hostname: os.hostname(), processStart: processStartToken(process.pid), acquiredAt: new Date().toISOString(), command: null }), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another takeover is under way, or one died halfway (then its guard goes).
    const guardOwner = parseLockFile(await readFile(guard, 'utf8').catch(() => ''));
    if (guardOwner && staleReason(guardOwner)) await rm(guard, { force: true });
    return false;
  }
  try {
    const now = await readFile(file, 'utf8').catch(() => null);
    if (now !== staleContent) return false;
    await rm(file, { force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

function holdLock(file: string, owner: LockOwner, content: string): HeldLock {
  let released = false;
  const ours = (text: string | null) => text === content;
  // Synchronous: nothing asynchronous runs once the process is exiting.
  const onExit = () => {
    try {
      if (ours(readFileSync(file, 'utf8'))) rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
  process.once('exit', onExit);
  return {
    file,
    owner,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      // Taken over meanwhile (judged stale by mistake): the file is the other holder's now.
      if (ours(await readFile(file, 'utf8').catch(() => null))) await rm(file, { force: true });
    },
  };
}
