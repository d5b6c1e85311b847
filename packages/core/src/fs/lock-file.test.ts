import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock/clock.js';
import { processStartToken } from '../platform/process-liveness.js';
import { isQedError } from '../errors/qed-error.js';
import {
  formatLockFile,
  type LockOwner,
  lockedElsewhere,
  type MachineFacts,
  parseLockFile,
  staleReason,
  takeoverGuardPath,
  tryLockFile,
  UNREADABLE_LOCK_TAKEOVER_MS,
} from './lock-file.js';

const CHILD = fileURLToPath(new URL('./__fixtures__/lock-child.mjs', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

const lockPath = async () => path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-lock-')), 'run.lock');
/** What is in the lock's folder besides the lock: guards, temporary files. */
const beside = async (file: string) => (await readdir(path.dirname(file))).filter((name) => name !== path.basename(file));
/** Sets a file's modification time this many milliseconds into the past. */
const age = async (file: string, ms: number) => {
  const then = new Date(Date.now() - ms);
  await utimes(file, then, then);
};
/** The PID of a process that has exited (and been reaped). */
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
const owner = (fields: Partial<LockOwner>): LockOwner => ({ pid: 1, hostname: os.hostname(), processStart: null, acquiredAt: '2026-01-02T03:04:05.000Z', command: 'qed', ...fields });

/** A process that takes the lock (see the fixture) once `go()` is called, and reports its attempt. */
async function lockChild(file: string, mode: 'hold' | 'exit') {
  const child = spawn(process.execPath, ['--no-warnings', CHILD, file, mode], { stdio: 'pipe' });
  children.push(child);
  const lines: string[] = [];
  let err = '';
  let partial = '';
  const waiters: Array<() => void> = [];
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  const line = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (lines.length > n) resolve(lines[n] as string);
        else if (child.exitCode !== null) reject(new Error(`lock child exited ${child.exitCode}: ${err}`));
        else waiters.push(check);
      };
      child.once('exit', check);
      check();
    });
  expect(await line(0)).toBe('ready');
  return {
    child,
    go: async () => {
      child.stdin.write('go\n');
      return JSON.parse(await line(1)) as Record<string, unknown>;
    },
  };
}

/** Several lock children, loaded first, then let go at the same instant. */
async function race(file: string, count: number) {
  const racers = await Promise.all(Array.from({ length: count }, () => lockChild(file, 'hold')));
  const attempts = await Promise.all(racers.map((r) => r.go()));
  return { children: racers.map((r) => r.child), attempts };
}

describe('tryLockFile', () => {
  it('takes a free lock: the PID on the first line, the details as JSON; release removes it, and twice is fine', async () => {
    const file = await lockPath();
    const attempt = await tryLockFile(file, { command: 'npx qed-bootstrap --yes' });
    if (!attempt.acquired) throw new Error('not acquired');
    expect(attempt.tookOver).toBeNull();
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')[0]).toBe(String(process.pid));
    expect(parseLockFile(text)).toEqual({
      pid: process.pid,
      hostname: os.hostname(),
      processStart: processStartToken(process.pid),
      acquiredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      command: 'npx qed-bootstrap --yes',
    });
    await attempt.lock.release();
    await attempt.lock.release();
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('says who holds a lock whose process is alive, and leaves it alone', async () => {
    const file = await lockPath();
    const first = await tryLockFile(file, { command: 'first' });
    const second = await tryLockFile(file, { command: 'second' });
    expect(second).toEqual({ acquired: false, holder: expect.objectContaining({ pid: process.pid, command: 'first' }) });
    expect(parseLockFile(await readFile(file, 'utf8'))?.command).toBe('first');
    if (first.acquired) await first.lock.release();
  });

  it('takes over a lock whose process has died, saying whose it was', async () => {
    const file = await lockPath();
    const pid = deadPid();
    await writeFile(file, formatLockFile(owner({ pid })));
    const attempt = await tryLockFile(file);
    expect(attempt).toMatchObject({ acquired: true, tookOver: { owner: { pid, command: 'qed' }, reason: 'which is no longer running' } });
    expect(parseLockFile(await readFile(file, 'utf8'))?.pid).toBe(process.pid);
    if (attempt.acquired) await attempt.lock.release();
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose PID now belongs to another process (its start time differs)', async () => {
    const file = await lockPath();
    const { child, go } = await lockChild(`${file}.unrelated`, 'hold');
    await go();
    // The PID is alive, but that process is not the one that wrote the lock.
    await writeFile(file, formatLockFile(owner({ pid: child.pid as number, processStart: 'another-boot:12345' })));
    const attempt = await tryLockFile(file);
    expect(attempt).toMatchObject({ acquired: true, tookOver: { reason: 'which has ended (its PID now belongs to another process)' } });
    // With its own start time it is the holder.
    if (attempt.acquired) await attempt.lock.release();
    await writeFile(file, formatLockFile(owner({ pid: child.pid as number, processStart: processStartToken(child.pid as number) })));
    expect(await tryLockFile(file)).toMatchObject({ acquired: false, holder: { pid: child.pid } });
  });

  it('reads a lock holding a PID alone (older writers): taken over when that process is gone, held while it lives', async () => {
    const file = await lockPath();
    await writeFile(file, `${deadPid()}`);
    const attempt = await tryLockFile(file);
    expect(attempt.acquired).toBe(true);
    if (attempt.acquired) await attempt.lock.release();
    await writeFile(file, `${process.pid}\n`);
    expect(await tryLockFile(file)).toEqual({ acquired: false, holder: { pid: process.pid, hostname: null, processStart: null, acquiredAt: null, command: null } });
  });

  it('counts a lock taken on another machine (a shared folder) as held: its PID means nothing here', async () => {
    const file = await lockPath();
    await writeFile(file, formatLockFile(owner({ pid: deadPid(), hostname: 'another-machine' })));
    expect(await tryLockFile(file)).toMatchObject({ acquired: false, holder: { hostname: 'another-machine' } });
  });

  it('counts a lock it cannot read (empty: being written this instant) as held, and leaves it alone', async () => {
    const file = await lockPath();
    await writeFile(file, '');
    expect(await tryLockFile(file)).toEqual({ acquired: false, holder: null });
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('takes over a lock that has named no process for longer than UNREADABLE_LOCK_TAKEOVER_MS (a crash between creating and writing it)', async () => {
    const file = await lockPath();
    await writeFile(file, '');
    await age(file, UNREADABLE_LOCK_TAKEOVER_MS + 5000);
    const attempt = await tryLockFile(file);
    expect(attempt).toMatchObject({ acquired: true, tookOver: { owner: null, reason: 'which named no process (empty or damaged) for more than 30 seconds' } });
    expect(parseLockFile(await readFile(file, 'utf8'))?.pid).toBe(process.pid);
    if (attempt.acquired) await attempt.lock.release();
  });

  it('reads the calendar time from the clock it is given: the time written in the lock, and the age of one that names no process', async () => {
    const file = await lockPath();
    await writeFile(file, '');
    // Just written: held by whoever is writing it, as the clock of this machine says …
    expect(await tryLockFile(file, { clock: fixedClock(new Date(Date.now())) })).toEqual({ acquired: false, holder: null });
    // … and left long ago as a clock that has moved on says, with no waiting.
    const later = new Date(Date.now() + UNREADABLE_LOCK_TAKEOVER_MS + 5000);
    const attempt = await tryLockFile(file, { clock: fixedClock(later) });
    expect(attempt).toMatchObject({ acquired: true, tookOver: { owner: null } });
    expect(parseLockFile(await readFile(file, 'utf8'))?.acquiredAt).toBe(later.toISOString());
    if (attempt.acquired) await attempt.lock.release();
  });

  it('writes the lock whole through a file of its own, linked into place: nothing but the lock is left in the folder', async () => {
    const file = await lockPath();
    const attempt = await tryLockFile(file, { command: 'whole' });
    expect(await beside(file)).toEqual([]);
    expect(parseLockFile(await readFile(file, 'utf8'))?.command).toBe('whole');
    if (attempt.acquired) await attempt.lock.release();
    expect(await readdir(path.dirname(file))).toEqual([]);
  });

  it('leaves a takeover guard held by a live process alone: that process is taking the lock over', async () => {
    const file = await lockPath();
    await writeFile(file, formatLockFile(owner({ pid: deadPid() })));
    const guard = (await takeoverGuardPath(file)) as string;
    const guardText = formatLockFile(owner({ pid: process.pid, processStart: processStartToken(process.pid), command: null }));
    await writeFile(guard, guardText);
    expect(await tryLockFile(file)).toMatchObject({ acquired: false, holder: { command: 'qed' } });
    expect(await readFile(guard, 'utf8')).toBe(guardText);
  });

  it('once it holds the lock, removes what a process that died while taking it left: guards of earlier locks, temporary files older than the bound', async () => {
    const file = await lockPath();
    const dir = path.dirname(file);
    const left = ['run.lock.takeover-0123456789abcdef', 'run.lock.takeover-0123456789abcdef.takeover-fedcba9876543210', 'run.lock.4242-0a1b2c3d.tmp'];
    for (const name of left) await writeFile(path.join(dir, name), '4242\n');
    await age(path.join(dir, 'run.lock.4242-0a1b2c3d.tmp'), UNREADABLE_LOCK_TAKEOVER_MS + 5000);
    // Another process's temporary file of this instant, and a file that is not the lock's.
    await writeFile(path.join(dir, 'run.lock.4343-0a1b2c3d.tmp'), '4343\n');
    await writeFile(path.join(dir, 'other.txt'), 'kept');
    const attempt = await tryLockFile(file);
    expect(attempt.acquired).toBe(true);
    expect((await beside(file)).sort()).toEqual(['other.txt', 'run.lock.4343-0a1b2c3d.tmp']);
    if (attempt.acquired) await attempt.lock.release();
  });

  it('a lock that cannot be made or read (a folder in its place, a folder that does not exist) is FILE_ACCESS_FAILED naming it, not a bare error', async () => {
    const file = await lockPath();
    await mkdir(file);
    const error = await tryLockFile(file).catch((e: unknown) => e);
    expect(isQedError(error, 'FILE_ACCESS_FAILED'), String(error)).toBe(true);
    expect(error).toMatchObject({ message: `cannot read ${file}: it is a folder, where a file belongs`, data: { file, errno: 'EISDIR' } });
    const missing = path.join(path.dirname(file), 'no-such-folder', 'run.lock');
    await expect(tryLockFile(missing)).rejects.toMatchObject({ code: 'FILE_ACCESS_FAILED', message: `cannot create ${missing}: its folder does not exist` });
  });

  it('of several processes racing for a free lock, exactly one gets it; the others name it', async () => {
    const file = await lockPath();
    const { children: racers, attempts } = await race(file, 6);
    const winners = attempts.filter((a) => a.acquired);
    expect(winners).toHaveLength(1);
    for (const loser of attempts.filter((a) => !a.acquired)) expect(loser.holder).toMatchObject({ pid: winners[0]?.pid });
    for (const child of racers) child.stdin.end();
    await Promise.all(racers.map((child) => (child.exitCode === null ? once(child, 'exit') : null)));
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('of several processes racing to take over the same stale lock, exactly one gets it', async () => {
    const file = await lockPath();
    await writeFile(file, formatLockFile(owner({ pid: deadPid() })));
    const { attempts } = await race(file, 8);
    const winners = attempts.filter((a) => a.acquired);
    expect(winners).toHaveLength(1);
    expect(parseLockFile(await readFile(file, 'utf8'))?.pid).toBe(winners[0]?.pid);
    expect(await beside(file)).toEqual([]);
  });

  it('of several processes racing to take over a stale lock whose takeover guard was left by a dead process, exactly one gets it, and nothing is left beside it', async () => {
    const file = await lockPath();
    await writeFile(file, formatLockFile(owner({ pid: deadPid() })));
    await writeFile((await takeoverGuardPath(file)) as string, formatLockFile(owner({ pid: deadPid(), command: null })));
    const { attempts } = await race(file, 8);
    const winners = attempts.filter((a) => a.acquired);
    expect(winners).toHaveLength(1);
    expect(parseLockFile(await readFile(file, 'utf8'))?.pid).toBe(winners[0]?.pid);
    expect(await beside(file)).toEqual([]);
  });

  it('is released when its process exits without releasing it (process.exit); a SIGKILLed holder leaves it, to be taken over', async () => {
    const file = await lockPath();
    const exiting = await lockChild(file, 'exit');
    expect(await exiting.go()).toMatchObject({ acquired: true });
    if (exiting.child.exitCode === null) await once(exiting.child, 'exit');
    expect(exiting.child.exitCode).toBe(3);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);

    const killed = await lockChild(file, 'hold');
    expect(await killed.go()).toMatchObject({ acquired: true });
    killed.child.kill('SIGKILL');
    await once(killed.child, 'exit');
    expect(parseLockFile(await readFile(file, 'utf8'))?.pid).toBe(killed.child.pid);
    const attempt = await tryLockFile(file);
    expect(attempt).toMatchObject({ acquired: true, tookOver: { owner: { pid: killed.child.pid }, reason: 'which is no longer running' } });
    if (attempt.acquired) await attempt.lock.release();
  });
});

describe('lockedElsewhere', () => {
  const mac: MachineFacts = { hostname: 'ada-mbp.fritz.box', platform: 'darwin', bootedAt: 1_800_000_000 };
  const linux: MachineFacts = { hostname: 'box', platform: 'linux', bootedAt: null };
  it.each([
    ['the same hostname', owner({ hostname: 'box' }), linux, null],
    ['an older lock without a hostname', owner({ hostname: null }), linux, null],
    ['another hostname', owner({ hostname: 'build-box' }), linux, 'build-box'],
    // Containers on one Linux host share its boot, not their PIDs: the hostname decides there.
    ['another hostname, whatever the boot', owner({ hostname: 'build-box', bootedAt: 1_800_000_000 }), { ...linux, bootedAt: 1_800_000_000 }, 'build-box'],
    ['macOS renamed by the network, the same boot', owner({ hostname: 'Adas-MacBook-Pro.local', bootedAt: 1_800_000_001 }), mac, null],
    ['macOS, another hostname and another boot (another Mac, or before a restart)', owner({ hostname: 'Adas-MacBook-Pro.local', bootedAt: 1_799_990_000 }), mac, 'Adas-MacBook-Pro.local'],
    ['macOS, another hostname and no boot time (an older lock, or written on Linux)', owner({ hostname: 'Adas-MacBook-Pro.local' }), mac, 'Adas-MacBook-Pro.local'],
  ])('%s', (_what, lockOwner, here, expected) => {
    expect(lockedElsewhere(lockOwner, here)).toBe(expected);
  });

  it("a Mac's own dead lock from before its hostname changed is taken over; another machine's is held", () => {
    const pid = deadPid();
    expect(staleReason(owner({ pid, hostname: 'Adas-MacBook-Pro.local', bootedAt: 1_800_000_000 }), mac)).toBe('which is no longer running');
    expect(staleReason(owner({ pid, hostname: 'Adas-MacBook-Pro.local', bootedAt: 1_700_000_000 }), mac)).toBeNull();
  });

  it('the lock records the boot time only where it decides (macOS)', async () => {
    const file = await lockPath();
    const attempt = await tryLockFile(file);
    expect('bootedAt' in (parseLockFile(await readFile(file, 'utf8')) ?? {})).toBe(process.platform === 'darwin');
    if (attempt.acquired) await attempt.lock.release();
  });
});
