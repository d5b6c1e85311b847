import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive } from './processes.js';

const SCRIPT = fileURLToPath(new URL('../scripts/test-under-load.mjs', import.meta.url));
// The command under load: says when it is listening, and which signal it got; exits 0 on it,
// so that the exit code seen is the script's choice, not the command's.
const COMMAND = `
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => { process.stdout.write('command got ' + s + '\\n'); setTimeout(() => process.exit(0), 200); });
setInterval(() => {}, 1000);
process.stdout.write('ready ' + process.pid + '\\n');
`;

function underLoad() {
  const child = spawn(process.execPath, [SCRIPT, '--busy', '1', '--', process.execPath, '-e', COMMAND], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  const onData = () => {
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onData();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onData();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  /** Resolves with the first match of `pattern` in the output so far or to come. */
  const seen = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(`${stdout}${stderr}`);
        if (match) resolve(match);
        else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`exited before ${pattern}:\n${stdout}\n${stderr}`));
        else waiters.push(check);
      };
      child.once('exit', check);
      check();
    });
  return { child, exited, seen, output: () => `${stdout}${stderr}` };
}

describe('test-under-load.mjs', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s: passed on to the command, which is waited for; the busy processes stopped; exit code %i', async (signal, code) => {
    const run = underLoad();
    const busyPid = Number((await run.seen(/\(PIDs (\d+)\)/))[1]);
    const commandPid = Number((await run.seen(/ready (\d+)/))[1]);
    run.child.kill(signal);
    expect(await run.exited, run.output()).toBe(code);
    expect(run.output()).toContain(`command got ${signal}`);
    expect(run.output()).toContain('ended with exit code 0');
    expect(isAlive(commandPid)).toBe(false);
    expect(isAlive(busyPid)).toBe(false);
  });
});
