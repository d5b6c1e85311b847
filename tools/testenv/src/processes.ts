import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import net from 'node:net';
import { isProcessAlive } from '@qed/core';

/**
 * Long-running daemons (etcd, the API server, podman's service …) are started
 * here rather than through the CommandRunner, which is for commands that finish.
 * Each is detached into its own session with output to a log file, and its PID is
 * what `down` later stops: nothing is ever stopped by name.
 */
export function startDaemon(command: string, args: readonly string[], logFile: string, env: NodeJS.ProcessEnv): number {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** Alive and not a zombie: a detached child of a still-running Node process lingers as one until reaped. */
export const isAlive = isProcessAlive;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL after the grace period; resolves when the process is gone. */
export async function stopPid(pid: number, graceMs = 5000): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isAlive(pid)) return 'not-running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'not-running';
  }
  return waitForExit(pid, graceMs);
}

/** Waits for a process already told to stop (by a signal sent elsewhere); SIGKILL after `graceMs`. */
export async function waitForExit(pid: number, graceMs: number): Promise<'stopped' | 'killed'> {
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {}
  while (isAlive(pid)) await sleep(20);
  return 'killed';
}

/** A free loopback port, found by binding port 0 and releasing it. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The first port in [from, to] that nothing listens on and that can be bound on 127.0.0.1. */
export async function findFreePortIn(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) {
    if (await isPortListening(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port between ${from} and ${to} on 127.0.0.1`);
}

export function isPortListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `probe` until it returns true; throws with `what` and the log to read after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what} was not ready after ${Math.round(timeoutMs / 1000)}s${logFile ? `; see ${logFile}` : ''}`);
}
