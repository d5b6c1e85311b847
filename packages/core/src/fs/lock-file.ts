import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { type FileHandle, link, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, systemClock } from '../clock/clock.js';
import { isProcessAlive, processStartToken } from '../platform/process-liveness.js';
import { fileAccessError } from './file-access-error.js';

/** Who holds a lock file, as written in it. */
export interface LockOwner {
  pid: number;
  /** null in a lock written by an older writer that recorded the PID only (taken as this machine). */
  hostname: string | null;
  /**
   * macOS: when the machine booted, in seconds since the epoch. It tells this
   * machine's own locks apart from another's after its hostname changed with the
   * network (see lockedElsewhere). Absent or null elsewhere and in older locks.
   */
  bootedAt?: number | null;
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
  /** null for a lock that named no process (empty or damaged) and was left that way. */
  owner: LockOwner | null;
  reason: string;
}

export type LockAttempt =
  | { acquired: true; lock: HeldLock; tookOver: StaleLock | null }
  /** `holder` is null when the file cannot be read as a lock (being written this instant, or damaged). */
  | { acquired: false; holder: LockOwner | null };

/** What a lock is judged against: the machine this process runs on. */
export interface MachineFacts {
  hostname: string;
  platform: NodeJS.Platform;
  /** As LockOwner.bootedAt: macOS only, else null. */
  bootedAt: number | null;
}

/**
 * A lock that names no process is left alone for this long after it was last
 * written, then taken over. Locks are linked into place whole (createExclusive),
 * so only a damaged file, a machine that crashed before the content reached the
 * disk, an older qed-bootstrap or a file system without hard links (whose lock
 * is created, then written) can leave one; writing a few bytes takes far less.
 */
export const UNREADABLE_LOCK_TAKEOVER_MS = 30_000;

/** Two readings of macOS's boot time differ by up to a second (both are whole seconds); a clock step moves both. */
const BOOT_TIME_SLACK_S = 2;

/** How deep a takeover goes after guards whose holders died (a guard's guard …) before it gives up for this attempt. */
const MAX_GUARD_DEPTH = 3;

/**
 * Takes an exclusive lock between processes, or says who holds it; never waits.
 * The lock is written whole to a file of its own and linked into place
 * (createExclusive): of two processes only one can, and no one ever sees it
 * empty. It holds the PID alone on its first line (the pid-file convention, and
 * what older readers parse), then a JSON line with the rest. A lock whose holder
 * has died (or whose PID now belongs to a later process, where the start time can
 * be read: Linux) is taken over, as is one that has named no process for
 * UNREADABLE_LOCK_TAKEOVER_MS; of several processes that find the same dead lock,
 * one takes it (removeIfUnchanged). The lock is released by `release()`, or,
 * should the process leave without it (process.exit, an uncaught error), on its
 * exit; only SIGKILL or a crash of the machine leave it behind, to be taken over.
 * File system errors other than "it exists" are thrown as FILE_ACCESS_FAILED.
 */
export async function tryLockFile(file: string, options: { command?: string; clock?: Clock } = {}): Promise<LockAttempt> {
  const clock = options.clock ?? systemClock;
  const here: HereAndNow = { ...thisMachine(), now: () => clock.now().getTime() };
  const owner = ownerRecord(here, options.command ?? null);
  const content = formatLockFile(owner);
  let tookOver: StaleLock | null = null;
  let holder: LockOwner | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) await sleep(10 * attempt);
    if (await createExclusive(file, content)) {
      await sweepLeftovers(file, content, here);
      return { acquired: true, lock: holdLock(file, owner, content), tookOver };
    }
    const found = await readSnapshot(file);
    // Released in between: try again.
    if (found === null) continue;
    holder = parseLockFile(found.text);
    const reason = staleness(found, here);
    if (!reason) return { acquired: false, holder };
    if (await removeIfUnchanged(file, found, here, 0)) tookOver = { owner: holder, reason };
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
  return {
    pid,
    hostname: field(details.hostname),
    ...(typeof details.bootedAt === 'number' ? { bootedAt: details.bootedAt } : {}),
    processStart: field(details.processStart),
    acquiredAt: field(details.acquiredAt),
    command: field(details.command),
  };
}

/**
 * Why the holder of a lock is gone, or null when it may still be running. A lock
 * taken on another machine (a shared folder) cannot be checked from here, so it
 * counts as held.
 */
export function staleReason(owner: LockOwner, here: MachineFacts = thisMachine()): string | null {
  if (lockedElsewhere(owner, here) !== null) return null;
  if (!isProcessAlive(owner.pid)) return 'which is no longer running';
  const started = owner.processStart === null ? null : processStartToken(owner.pid);
  if (started !== null && started !== owner.processStart) return 'which has ended (its PID now belongs to another process)';
  return null;
}

/**
 * The machine a lock was taken on when that is not this one (a folder shared
 * between machines, or synced), else null. The hostname says so, with one
 * exception: macOS takes its hostname from the network it joins (a name the
 * router hands out, or `name.local`), so its own lock from before the laptop
 * moved names another host. There a lock written during this boot (the same boot
 * time, recorded in it) is this machine's: two machines sharing a folder do not
 * boot within the same seconds. Not on Linux, where containers on one host share
 * the boot (and its boot id) but not their PIDs. What stays: a lock this Mac left
 * before a restart, under a hostname it no longer has, counts as held, and the
 * message names that host for the user to recognise and delete.
 */
export function lockedElsewhere(owner: LockOwner, here: MachineFacts = thisMachine()): string | null {
  if (owner.hostname === null || owner.hostname === here.hostname) return null;
  const bootedAt = owner.bootedAt ?? null;
  if (here.platform === 'darwin' && here.bootedAt !== null && bootedAt !== null && Math.abs(bootedAt - here.bootedAt) <= BOOT_TIME_SLACK_S) return null;
  return owner.hostname;
}

export function thisMachine(): MachineFacts {
  // os.uptime() on macOS is the calendar time minus kern.boottime, in whole seconds.
  const bootedAt = process.platform === 'darwin' ? Math.round(Date.now() / 1000 - os.uptime()) : null;
  return { hostname: os.hostname(), platform: process.platform, bootedAt };
}

/**
 * This machine, and the calendar time (injected: acquiredAt, and the age of a
 * file that names no process, are measured with it).
 */
interface HereAndNow extends MachineFacts {
  now(): number;
}

function ownerRecord(here: HereAndNow, command: string | null): LockOwner {
  return {
    pid: process.pid,
    hostname: here.hostname,
    ...(here.bootedAt !== null ? { bootedAt: here.bootedAt } : {}),
    processStart: processStartToken(process.pid),
    acquiredAt: new Date(here.now()).toISOString(),
    command,
  };
}

/** A lock file as read once: its text, and a key for exactly this file (see snapshotKey). */
interface LockSnapshot {
  text: string;
  key: string;
  mtimeMs: number;
}

/** Why a lock (or a takeover guard) as read may be taken over, or null while it counts as held. */
function staleness(found: LockSnapshot, here: HereAndNow): string | null {
  const owner = parseLockFile(found.text);
  if (owner) return staleReason(owner, here);
  const seconds = Math.round(UNREADABLE_LOCK_TAKEOVER_MS / 1000);
  return here.now() - found.mtimeMs > UNREADABLE_LOCK_TAKEOVER_MS ? `which named no process (empty or damaged) for more than ${seconds} seconds` : null;
}

/**
 * The file's text with a key that changes whenever the file is another one: a
 * hash of its device, inode, modification time, size and text. A lock that was
 * removed and made again differs in at least its text (PID, time) or its inode.
 */
async function readSnapshot(file: string): Promise<LockSnapshot | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileAccessError(error, file, 'read');
  }
  try {
    const info = await handle.stat();
    const text = await handle.readFile('utf8');
    const key = createHash('sha256').update(`${info.dev}:${info.ino}:${info.mtimeMs}:${info.size}\n${text}`).digest('hex').slice(0, 16);
    return { text, key, mtimeMs: info.mtimeMs };
  } catch (error) {
    throw fileAccessError(error, file, 'read');
  } finally {
    await handle.close();
  }
}

/** Error codes of link() on a file system that has no hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Creates `file` holding `content`, or returns false when it exists. The content
 * goes to a file of our own first, which is then linked to the name: link()
 * fails when the name exists, as O_EXCL does, and the file appears whole or not
 * at all, so a crash or a full disk in between never leaves an empty lock that
 * no one would take over. Where there are no hard links it is O_EXCL and a write;
 * an empty lock a crash leaves there is taken over after UNREADABLE_LOCK_TAKEOVER_MS.
 */
async function createExclusive(file: string, content: string): Promise<boolean> {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw fileAccessError(error, file, 'create');
  }
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    // ENOENT: our own file was removed under us, as left over by another process's sweep.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    if (!NO_HARD_LINKS.has(code)) throw fileAccessError(error, file, 'create');
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
  return createWithoutLink(file, content);
}

async function createWithoutLink(file: string, content: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fileAccessError(error, file, 'create');
  }
  try {
    await handle.writeFile(content);
  } catch (error) {
    // Ours, half written: remove it rather than leave a lock that names no one.
    await handle.close().catch(() => undefined);
    await rm(file, { force: true }).catch(() => undefined);
    throw fileAccessError(error, file, 'write');
  }
  await handle.close();
  return true;
}

/**
 * Removes `file` if it is still exactly what was read as `seen`; true when this
 * call removed it. Several processes can judge the same lock dead, and a plain
 * "read, compare, remove" by each could remove the new lock the first of them
 * has just made. So the removal happens under a guard, `FILE.takeover-KEY`, KEY
 * naming the very file judged dead (readSnapshot): whoever creates the guard may
 * remove that file, and only while it is still that file. A file once removed
 * never comes back with the same key, so a guard for it is harmless once it is
 * gone; and the guard holds its holder's PID: a guard whose holder died halfway
 * is itself removed the same way, under `FILE.takeover-KEY.takeover-KEY2`, never
 * by a plain remove that could hit a guard a third process has just made.
 */
async function removeIfUnchanged(file: string, seen: LockSnapshot, here: HereAndNow, depth: number): Promise<boolean> {
  const guard = `${file}.takeover-${seen.key}`;
  if (!(await createExclusive(guard, formatLockFile(ownerRecord(here, null))))) {
    // Another process is taking this same file over, or died doing so.
    const other = depth < MAX_GUARD_DEPTH ? await readSnapshot(guard) : null;
    if (other && staleness(other, here)) await removeIfUnchanged(guard, other, here, depth + 1);
    return false;
  }
  try {
    const now = await readSnapshot(file);
    if (now?.key !== seen.key) return false;
    await rm(file, { force: true }).catch((error: unknown) => {
      throw fileAccessError(error, file, 'remove');
    });
    return true;
  } finally {
    await rm(guard, { force: true }).catch(() => undefined);
  }
}

/** The guard under which the lock file, as it is now, would be taken over (removeIfUnchanged); null when there is none. For tests and diagnostics. */
export async function takeoverGuardPath(file: string): Promise<string | null> {
  const found = await readSnapshot(file);
  return found && `${file}.takeover-${found.key}`;
}

/**
 * After the lock is ours: removes what a process that died in the middle of
 * taking or taking over this lock left beside it. Guards for any lock but ours
 * are moot (that lock is gone for good, see removeIfUnchanged); a temporary file
 * lives for microseconds, so one older than UNREADABLE_LOCK_TAKEOVER_MS is left over.
 */
async function sweepLeftovers(file: string, content: string, here: HereAndNow): Promise<void> {
  const mine = await readSnapshot(file).catch(() => null);
  if (mine?.text !== content) return;
  const dir = path.dirname(file);
  const base = path.basename(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const rest = name.slice(base.length + 1);
    const guardKey = /^takeover-([0-9a-f]{16})/.exec(rest)?.[1];
    const temp = /\.\d+-[0-9a-f]{8}\.tmp$/.test(name);
    let leftover = guardKey !== undefined && guardKey !== mine.key;
    if (!leftover && temp) {
      const info = await stat(path.join(dir, name)).catch(() => null);
      leftover = info !== null && here.now() - info.mtimeMs > UNREADABLE_LOCK_TAKEOVER_MS;
    }
    if (leftover) await rm(path.join(dir, name), { force: true }).catch(() => undefined);
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
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw fileAccessError(error, file, 'read');
      });
      // Taken over meanwhile (judged stale by mistake): the file is the other holder's now.
      if (!ours(text)) return;
      await rm(file, { force: true }).catch((error: unknown) => {
        throw fileAccessError(error, file, 'remove');
      });
    },
  };
}
