import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isQedError } from '../errors/qed-error.js';
import { runOrThrow } from './command-runner.js';
import { ZxCommandRunner } from './zx-command-runner.js';

// The production runner is tested on real processes (sh, cat): it is the seam
// every other package fakes, so its own behaviour must be the real thing.
describe('ZxCommandRunner', () => {
  const runner = new ZxCommandRunner({ env: { PATH: process.env.PATH } });

  it('captures stdout, stderr and a non-zero exit code as a value', async () => {
    const result = await runner.run({ command: 'sh', args: ['-c', 'echo out; echo err >&2; exit 3'] });
    expect(result).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
  });

  it('passes arguments through without shell interpretation', async () => {
    const tricky = `it's $HOME; rm -rf / "quoted"`;
    const result = await runner.run({ command: 'printf', args: ['%s', tricky] });
    expect(result.stdout).toBe(tricky);
  });

  it('writes input to stdin and adds env variables', async () => {
    const result = await runner.run({
      command: 'sh',
      args: ['-c', 'cat; printf "%s" "$GREETING"'],
      input: 'from stdin ',
      env: { GREETING: 'hello' },
    });
    expect(result.stdout).toBe('from stdin hello');
  });

  it('removes variables set to undefined', async () => {
    const withVar = new ZxCommandRunner({ env: { PATH: process.env.PATH, DOCKER_HOST: 'unix:///x' } });
    const result = await withVar.run({ command: 'sh', args: ['-c', 'printf "[%s]" "$DOCKER_HOST"'], env: { DOCKER_HOST: undefined } });
    expect(result.stdout).toBe('[]');
  });

  it('streams output to onOutput as it arrives and still returns all of it', async () => {
    const seen: string[] = [];
    const result = await runner.run({
      command: 'sh',
      args: ['-c', 'echo first; echo warn >&2; echo second'],
      onOutput: (chunk, stream) => seen.push(`${stream}:${chunk}`),
    });
    expect(seen.join('')).toContain('stdout:first\n');
    expect(seen.join('')).toContain('stderr:warn\n');
    expect(result.stdout).toBe('first\nsecond\n');
  });

  it('throws COMMAND_NOT_FOUND naming a missing binary instead of an ENOENT trace', async () => {
    const error = await runner.run({ command: 'qed-no-such-tool', args: ['--version'] }).catch((e: unknown) => e);
    expect(isQedError(error, 'COMMAND_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toBe('qed-no-such-tool is not installed or not on PATH');
  });

  it.each([
    ['a timeout', 'COMMAND_TIMEOUT', undefined],
    ['an abort (Ctrl-C in the pipeline)', 'COMMAND_ABORTED', 200],
  ] as const)('stops the program itself, not only the shell it runs in, on %s', async (_, code, abortAfterMs) => {
    // The program prints its PID, then sleeps far longer than the test may run:
    // only the runner's kill can end it, and it must not be left running orphaned.
    let pid = 0;
    const controller = new AbortController();
    const run = runner.run({
      command: 'sh',
      args: ['-c', 'echo $$; exec sleep 3600'],
      ...(abortAfterMs ? { timeoutMs: 600_000, signal: controller.signal } : { timeoutMs: 200 }),
      onOutput: (chunk) => {
        pid ||= Number.parseInt(chunk, 10);
        if (abortAfterMs) controller.abort();
      },
    });
    const error = await run.catch((e: unknown) => e);
    expect(isQedError(error, code)).toBe(true);
    expect(pid).toBeGreaterThan(1);
    // Counted, not timed: the killed program disappears once reaped; the test's own
    // timeout bounds the wait.
    while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(isAlive(pid)).toBe(false);
  });

  it('does not start a program when the run was interrupted before it', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await runner.run({ command: 'sh', args: ['-c', 'exit 0'], signal: controller.signal }).catch((e: unknown) => e);
    expect(isQedError(error, 'COMMAND_ABORTED')).toBe(true);
  });

  it('runOrThrow reports the command and a redacted output tail on failure', async () => {
    const error = await runOrThrow(
      runner,
      { command: 'sh', args: ['-c', 'echo "login failed for pw hunter22" >&2; exit 1'], secrets: ['hunter22'] },
      { code: 'LOGIN_FAILED', what: 'registry login failed', hint: 'Check the credentials.' },
    ).catch((e: unknown) => e);
    expect(isQedError(error, 'LOGIN_FAILED')).toBe(true);
    const data = (error as { data: { output: string; command: string } }).data;
    expect(data.output).toBe('login failed for pw ***');
    expect(JSON.stringify(error)).not.toContain('hunter22');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0) until its parent reaps it: it is not running.
  return !/^\d+ \(.*\) Z/.test(readProcStat(pid));
}

function readProcStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}
