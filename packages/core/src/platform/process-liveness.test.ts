import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isProcessAlive, processStartToken } from './process-liveness.js';

describe('isProcessAlive', () => {
  it('is true for this process and a running child, false once it has exited, and for PIDs that cannot exist', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    expect(isProcessAlive(child.pid as number)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(isProcessAlive(child.pid as number)).toBe(false);
    expect(isProcessAlive(Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout))).toBe(false);
    for (const pid of [0, -1, 1.5, Number.NaN, 2 ** 22 + 1]) expect(isProcessAlive(pid)).toBe(false);
  });
});

describe('processStartToken', () => {
  it.runIf(process.platform === 'linux')('is stable for a process and differs between processes (Linux: boot id and start ticks)', async () => {
    const token = processStartToken(process.pid);
    expect(token).toMatch(/^[0-9a-f-]{36}:\d+$/);
    expect(processStartToken(process.pid)).toBe(token);
    // A process started later has a later start time.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    const childToken = processStartToken(child.pid as number);
    child.kill('SIGKILL');
    expect(childToken).not.toBe(token);
    expect(Number(childToken?.split(':')[1])).toBeGreaterThan(Number(token?.split(':')[1]));
  });

  it('is null for a process that does not exist', () => {
    expect(processStartToken(2 ** 22 + 1)).toBeNull();
  });
});
