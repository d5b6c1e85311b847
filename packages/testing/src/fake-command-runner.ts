import { type CommandResult, type CommandRunner, type CommandSpec, commandNotFound, QedError } from '@qed/core';

/** What a recorded command answers: its captured output, or "not installed". */
export type RecordedAnswer =
  | { stdout?: string; stderr?: string; exitCode?: number; signal?: string }
  | { notInstalled: true }
  | { timeout: true };

export interface Recording {
  command: string;
  /** The exact argv expected; omit to answer any arguments. */
  args?: readonly string[];
  answer: RecordedAnswer;
}

/**
 * A CommandRunner that replays recorded outputs of the real tools, for unit tests.
 * Every call is kept in `calls` so a test can assert the exact argv sent, and a call
 * nothing was recorded for fails loudly instead of passing silently.
 */
export class FakeCommandRunner implements CommandRunner {
  readonly calls: CommandSpec[] = [];
  private readonly recordings: Recording[];

  constructor(recordings: Recording[] = []) {
    this.recordings = [...recordings];
  }

  /**
   * Adds a recording. A recording with the exact argv wins over one for any
   * arguments; among equals, the later one wins.
   */
  on(command: string, args: readonly string[] | undefined, answer: RecordedAnswer): this {
    this.recordings.unshift(args === undefined ? { command, answer } : { command, args, answer });
    return this;
  }

  /** The argv of each call, as "command arg arg", in order. */
  get commandLines(): string[] {
    return this.calls.map((c) => [c.command, ...(c.args ?? [])].join(' '));
  }

  async run(spec: CommandSpec): Promise<CommandResult> {
    this.calls.push(spec);
    const args = spec.args ?? [];
    const forCommand = this.recordings.filter((r) => r.command === spec.command);
    const match =
      forCommand.find((r) => r.args !== undefined && sameArgs(r.args, args)) ??
      forCommand.find((r) => r.args === undefined);
    if (!match) {
      throw new Error(`FakeCommandRunner: no recording for: ${[spec.command, ...args].join(' ')}`);
    }
    const answer = match.answer;
    if ('notInstalled' in answer) {
      throw commandNotFound(spec.command);
    }
    if ('timeout' in answer) {
      throw new QedError('COMMAND_TIMEOUT', `${spec.command} did not finish in time`, { data: { command: spec.command } });
    }
    if (answer.stdout) spec.onOutput?.(answer.stdout, 'stdout');
    if (answer.stderr) spec.onOutput?.(answer.stderr, 'stderr');
    return {
      command: spec.command,
      args,
      exitCode: answer.signal ? null : (answer.exitCode ?? 0),
      signal: answer.signal ?? null,
      stdout: answer.stdout ?? '',
      stderr: answer.stderr ?? '',
      durationMs: 0,
    };
  }
}

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
