import { chmod, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isQedError } from '../errors/qed-error.js';
import { isProcessAlive } from '../platform/process-liveness.js';
import { runOrThrow } from './command-runner.js';
import { ProcessRunner } from './process-runner.js';

// The production runner is tested on real processes (sh, cat, sleep, node): it is
// the seam every other package fakes, so its own behaviour must be the real thing.
// Taken before any test fakes the clock: the waits below are polls, never durations.
const realSetTimeout = globalThis.setTimeout;
const pause = () => new Promise((resolve) => realSetTimeout(resolve, 20));

/** Polls until none of the PIDs runs: counted, not timed (the test's own timeout bounds it). */
async function untilGone(pids: readonly number[]): Promise<void> {
  while (pids.some(isProcessAlive)) await pause();
}

const PRINT_ARGV = 'process.stdout.write(JSON.stringify(process.argv.slice(1)))';

describe('ProcessRunner', () => {
  const runner = new ProcessRunner({ env: { PATH: process.env.PATH } });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('captures stdout, stderr and a non-zero exit code as a value', async () => {
    const result = await runner.run({ command: 'sh', args: ['-c', 'echo out; echo err >&2; exit 3'] });
    expect(result).toMatchObject({ command: 'sh', exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a program ended by a signal with no exit code and the signal', async () => {
    const result = await runner.run({ command: 'sh', args: ['-c', 'kill -TERM $$'] });
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
  });

  it('passes each argument to the program as it is: no shell splits, expands, globs or redirects anything', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-runner-argv-'));
    await writeFile(path.join(cwd, 'a.txt'), '');
    const args = [
      'two words',
      `it's "quoted"`,
      '$HOME',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's syntax, which must reach the program as text
      '${PATH}',
      '$(touch pwned)',
      '`touch pwned`',
      '*',
      '*.txt',
      '~',
      'a; touch pwned',
      'a && touch pwned',
      'a | tee pwned',
      '>pwned',
      'back\\slash\\',
      '',
      'line\nbreak',
      '%PATH% !PATH! ^&',
      'ünïcödé ✓',
    ];
    const result = await runner.run({ command: 'node', args: ['-e', PRINT_ARGV, ...args], cwd, env: { HOME: '/home/someone-else' } });
    expect(JSON.parse(result.stdout)).toEqual(args);
    // Nothing was redirected into a file, no command substitution ran.
    expect(await readdir(cwd)).toEqual(['a.txt']);
  });

  it('starts a program whose path has spaces, found on a PATH folder with spaces', async () => {
    const folder = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-runner-')), 'Program Files');
    await mkdir(folder);
    const tool = path.join(folder, 'qed-print-args');
    await writeFile(tool, '#!/bin/sh\nprintf "[%s]" "$@"\n');
    await chmod(tool, 0o755);
    const byPath = await runner.run({ command: tool, args: ['a b', 'c'] });
    expect(byPath.stdout).toBe('[a b][c]');
    const onPath = await new ProcessRunner({ env: { PATH: `${folder}:${process.env.PATH}` } }).run({ command: 'qed-print-args', args: ['x'] });
    expect(onPath.stdout).toBe('[x]');
  });

  it('looks the program up on the PATH the process gets, not on the runner\'s own', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'qed-runner-path-'));
    await writeFile(path.join(folder, 'qed-only-here'), '#!/bin/sh\necho found\n');
    await chmod(path.join(folder, 'qed-only-here'), 0o755);
    expect((await runner.run({ command: 'qed-only-here', env: { PATH: folder } })).stdout).toBe('found\n');
    await expect(runner.run({ command: 'qed-only-here' })).rejects.toMatchObject({ code: 'COMMAND_NOT_FOUND' });
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

  it('gives a program without input an empty stdin, so one that reads it does not wait', async () => {
    const result = await runner.run({ command: 'cat' });
    expect(result).toMatchObject({ exitCode: 0, stdout: '' });
  });

  it('removes variables set to undefined', async () => {
    const withVar = new ProcessRunner({ env: { PATH: process.env.PATH, DOCKER_HOST: 'unix:///x' } });
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
    // exec: sh becomes sleep, one process.
    ['the program', 'a timeout', 'COMMAND_TIMEOUT', 'echo $$; exec sleep 3600'],
    ['the program', 'an abort (Ctrl-C in the pipeline)', 'COMMAND_ABORTED', 'echo $$; exec sleep 3600'],
    // sh starts sleep and waits for it: killing sh alone would leave sleep running, orphaned.
    ['the program and the process it started', 'a timeout', 'COMMAND_TIMEOUT', 'sleep 3600 & echo $$ $!; wait'],
    ['the program and the process it started', 'an abort', 'COMMAND_ABORTED', 'sleep 3600 & echo $$ $!; wait'],
  ] as const)('stops %s on %s', async (_, __, code, script) => {
    const { error, pids } = await stopOnceStarted(code, script);
    expect(isQedError(error, code)).toBe(true);
    expect(pids).toHaveLength(script.includes('$!') ? 2 : 1);
    await untilGone(pids);
  });

  it('kills a program and its child that ignore SIGTERM once the grace is over', async () => {
    // `trap "" TERM` is inherited by sleep: only the SIGKILL after the grace ends them.
    const { error, pids } = await stopOnceStarted('COMMAND_ABORTED', 'trap "" TERM; sleep 3600 & echo $$ $!; wait');
    expect(isQedError(error, 'COMMAND_ABORTED')).toBe(true);
    expect(pids).toHaveLength(2);
    await untilGone(pids);
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

  /**
   * Runs `sh -c script`, whose first line of output is the PIDs it started, and
   * stops it only once that line is out: by the runner's timeout (the clock is
   * moved past it then, so a slow start never races the timer) or by an abort.
   */
  async function stopOnceStarted(code: 'COMMAND_TIMEOUT' | 'COMMAND_ABORTED', script: string) {
    const timeoutMs = 600_000;
    const controller = new AbortController();
    if (code === 'COMMAND_TIMEOUT') vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let pids: number[] = [];
    const error = await runner
      .run({
        command: 'sh',
        args: ['-c', script],
        timeoutMs,
        signal: controller.signal,
        onOutput: (chunk) => {
          if (pids.length > 0) return;
          pids = chunk.trim().split(/\s+/).map(Number);
          if (code === 'COMMAND_TIMEOUT') vi.advanceTimersByTime(timeoutMs);
          else controller.abort();
        },
      })
      .catch((e: unknown) => e);
    vi.useRealTimers();
    expect(pids.every((pid) => pid > 1)).toBe(true);
    return { error, pids };
  }
});
