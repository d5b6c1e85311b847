import { QedError } from '../errors/qed-error.js';
import {
  type CommandResult,
  type CommandRunner,
  type CommandSpec,
  commandNotFound,
  describeCommand,
  shellQuote,
} from './command-runner.js';

/** How long a stopped process has to exit after SIGTERM before it gets SIGKILL. */
const KILL_GRACE_MS = 5000;

export interface ZxCommandRunnerOptions {
  /** The environment processes inherit. Default: process.env at construction. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Applies when a spec names no timeout. */
  defaultTimeoutMs?: number;
  /** Called with each described command before it runs (for --verbose / --debug). */
  onCommand?: (description: string) => void;
}

/**
 * The production runner. zx is used only here, through its options object, so
 * none of zx's global defaults are mutated and nothing else imports it.
 */
export class ZxCommandRunner implements CommandRunner {
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly defaultTimeoutMs: number;
  private readonly onCommand: ((description: string) => void) | undefined;

  constructor(options: ZxCommandRunnerOptions = {}) {
    this.env = options.env ?? { ...process.env };
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 120_000;
    this.onCommand = options.onCommand;
  }

  async run(spec: CommandSpec): Promise<CommandResult> {
    const env = mergeEnv(this.env, spec.env);
    const args = spec.args ?? [];
    // zx runs through a shell, where a missing binary is only an exit code 127;
    // resolving it first turns that into a typed error naming the command.
    const { $, which, quotePowerShell } = await loadZx();
    const resolved = await which(spec.command, { nothrow: true, path: env.PATH ?? '' });
    if (!resolved) {
      throw commandNotFound(spec.command);
    }
    this.onCommand?.(describeCommand(spec));

    if (spec.signal?.aborted) throw commandAborted(spec);
    const timeoutMs = spec.timeoutMs ?? this.defaultTimeoutMs;
    const started = performance.now();
    const running = $({
      cwd: spec.cwd,
      env: env as NodeJS.ProcessEnv,
      input: spec.input,
      nothrow: true,
      quiet: true,
      verbose: false,
      ...shellOptions(quotePowerShell),
    })`${resolved} ${args}`;
    // Stopping kills the whole process tree (zx's kill), not only the shell zx starts
    // the program in: an AbortSignal handed to zx would end the shell and leave the
    // program itself running, orphaned. SIGTERM first; SIGKILL for what ignores it.
    let stopped: 'timeout' | 'aborted' | null = null;
    let forceKill: NodeJS.Timeout | undefined;
    const stop = (why: 'timeout' | 'aborted') => {
      if (stopped) return;
      stopped = why;
      const kill = (signal: NodeJS.Signals) => {
        try {
          running.kill(signal).catch(() => undefined);
        } catch {
          // Already finished: nothing to stop.
        }
      };
      kill('SIGTERM');
      forceKill = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const abortFromCaller = () => stop('aborted');
    spec.signal?.addEventListener('abort', abortFromCaller, { once: true });
    try {
      const { onOutput } = spec;
      if (onOutput) {
        running.stdout.on('data', (chunk: Buffer) => onOutput(chunk.toString(), 'stdout'));
        running.stderr.on('data', (chunk: Buffer) => onOutput(chunk.toString(), 'stderr'));
      }
      const output = await running;
      if (stopped === 'aborted') throw commandAborted(spec);
      if (stopped === 'timeout') {
        throw new QedError(
          'COMMAND_TIMEOUT',
          `${describeCommand(spec)} did not finish within ${Math.round(timeoutMs / 1000)}s`,
          {
            hint: 'Check that the tool is not waiting for input or a network, then run it by hand to see where it hangs.',
            data: { command: spec.command, timeoutMs },
          },
        );
      }
      return {
        command: spec.command,
        args,
        exitCode: output.exitCode,
        signal: output.signal,
        stdout: output.stdout,
        stderr: output.stderr,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timer);
      clearTimeout(forceKill);
      spec.signal?.removeEventListener('abort', abortFromCaller);
    }
  }
}

function commandAborted(spec: CommandSpec): QedError {
  return new QedError('COMMAND_ABORTED', `${describeCommand(spec)} was stopped: the run was interrupted`, {
    hint: 'Run the command again when you are ready.',
    data: { command: spec.command },
  });
}

/**
 * zx always goes through a shell. bash is avoided on purpose: Debian's bash sources
 * ~/.bashrc when its stdin is a socket (as Node's pipes are), so a user's rc file
 * would leak into every captured stderr. POSIX sh reads no rc file when not
 * interactive. The argv is quoted by zx, so nothing is interpreted by the shell
 * (zx's default quoting is bash-only, so POSIX single-quoting is used).
 * On Windows, PowerShell with its own quoting and the call operator.
 */
function shellOptions(quotePowerShell: (arg: string) => string) {
  return process.platform === 'win32'
    ? { shell: 'powershell.exe', prefix: '& ', postfix: '; exit $LastExitCode', quote: quotePowerShell }
    : { shell: '/bin/sh', prefix: '', postfix: '', quote: shellQuote };
}

/**
 * zx is loaded on the first command run, not when the CLI starts: commands that
 * only talk to the Kubernetes API never pay for it.
 */
let zx: Promise<typeof import('zx')> | undefined;
function loadZx(): Promise<typeof import('zx')> {
  zx ??= import('zx');
  return zx;
}

function mergeEnv(
  base: Readonly<Record<string, string | undefined>>,
  overrides: Readonly<Record<string, string | undefined>> | undefined,
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...base, ...overrides })) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}
