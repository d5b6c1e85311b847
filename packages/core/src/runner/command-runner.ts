import { QedError } from '../errors/qed-error.js';
import { redactSecrets } from './redact.js';

/**
 * Every external process qed-bootstrap starts goes through a CommandRunner. The
 * production one (ProcessRunner) spawns the program itself with its argument list,
 * no shell; tests inject one that replays recorded outputs of the real tools. A run
 * resolves to a result for any exit code: deciding whether a non-zero exit is a
 * failure belongs to the caller, which knows what it means. Only "the binary is not
 * installed", "it ran out of time" and "it was stopped" are thrown, as QedErrors with
 * codes COMMAND_NOT_FOUND, COMMAND_TIMEOUT and COMMAND_ABORTED.
 */
export interface CommandSpec {
  command: string;
  args?: readonly string[];
  cwd?: string;
  /** Variables added to (or, when undefined, removed from) the runner's environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Killed (SIGTERM, then SIGKILL) after this long. Default: the runner's. */
  timeoutMs?: number;
  /** Written to the process's stdin. */
  input?: string;
  /** Values that must never be printed: masked in descriptions and error excerpts. */
  secrets?: readonly string[];
  /**
   * Called with output as it arrives, for progress on long work (builds,
   * installs). The result still carries all of it. Chunks are not redacted: a
   * caller that prints them passes them through redactSecrets.
   */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Aborting it kills the process (as a timeout does) and the run rejects with
   * COMMAND_ABORTED: how Ctrl-C in the bootstrap pipeline stops the running step.
   */
  signal?: AbortSignal;
}

export interface CommandResult {
  command: string;
  args: readonly string[];
  /** null when the process was ended by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CommandRunner {
  run(spec: CommandSpec): Promise<CommandResult>;
}

/** The error every runner throws for a binary that is not installed. */
export function commandNotFound(command: string): QedError {
  return new QedError('COMMAND_NOT_FOUND', `${command} is not installed or not on PATH`, {
    hint: `Install ${command}, or add the folder that holds it to PATH.`,
    data: { command },
  });
}

/** POSIX-shell quoting, so a described command can be pasted back into a terminal. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line as a user would type it, with secrets masked. */
export function describeCommand(spec: Pick<CommandSpec, 'command' | 'args' | 'secrets'>): string {
  const line = [spec.command, ...(spec.args ?? [])].map(shellQuote).join(' ');
  return redactSecrets(line, spec.secrets);
}

/** The last lines of some output, for error messages: enough to diagnose, never a flood. */
export function tailLines(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/**
 * Runs a command whose non-zero exit is a failure, turning it into a QedError that
 * carries the command to reproduce it and the tail of its stderr (secrets masked).
 */
export async function runOrThrow(
  runner: CommandRunner,
  spec: CommandSpec,
  failure: { code: string; what: string; hint: string },
): Promise<CommandResult> {
  const result = await runner.run(spec);
  if (result.exitCode === 0) return result;
  const excerpt = redactSecrets(tailLines(result.stderr || result.stdout, 10), spec.secrets);
  throw new QedError(failure.code, `${failure.what}: ${describeCommand(spec)} exited with ${result.exitCode ?? result.signal}`, {
    hint: failure.hint,
    data: { command: describeCommand(spec), exitCode: result.exitCode, output: excerpt },
  });
}
