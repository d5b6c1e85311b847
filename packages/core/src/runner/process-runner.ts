import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { QedError } from '../errors/qed-error.js';
import { processStartToken } from '../platform/process-liveness.js';
import { descendantsOf, readProcessTable } from '../platform/process-tree.js';
import {
  type CommandResult,
  type CommandRunner,
  type CommandSpec,
  commandNotFound,
  describeCommand,
} from './command-runner.js';
import { isBatchFile, resolveProgram } from './resolve-program.js';
import { batchFileArguments } from './windows-command-line.js';

/** How long a stopped process has to exit after SIGTERM before it gets SIGKILL. */
const KILL_GRACE_MS = 5000;

type Env = Readonly<Record<string, string | undefined>>;

export interface ProcessRunnerOptions {
  /** The environment processes inherit. Default: process.env at construction. */
  env?: Env;
  /** Applies when a spec names no timeout. */
  defaultTimeoutMs?: number;
  /** Called with each described command before it runs (for --verbose / --debug). */
  onCommand?: (description: string) => void;
}

/**
 * The production runner: the program is found on the PATH the process gets, then
 * spawned directly with its argument list, on every OS. No shell reads the
 * arguments, so nothing in them is expanded or split, and no shell is started per
 * call (on Windows that was a PowerShell start for each docker or kubectl run).
 * The one exception is a Windows batch file (npm.cmd and other shims), which only
 * cmd.exe can run: see windows-command-line.ts.
 *
 * The program stays in our process group, as a program a shell starts does: Ctrl-C
 * in the terminal reaches it, and it can open the terminal (sudo's password
 * prompt). A timeout or an abort stops the program and every process below it.
 */
export class ProcessRunner implements CommandRunner {
  private readonly env: Env;
  private readonly defaultTimeoutMs: number;
  private readonly onCommand: ((description: string) => void) | undefined;

  constructor(options: ProcessRunnerOptions = {}) {
    this.env = options.env ?? { ...process.env };
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 120_000;
    this.onCommand = options.onCommand;
  }

  async run(spec: CommandSpec): Promise<CommandResult> {
    const windows = process.platform === 'win32';
    const env = mergeEnv(this.env, spec.env, windows);
    const args = spec.args ?? [];
    // Found first, as a shell would: a missing binary is a typed error naming the
    // command, and on Windows the PATHEXT extension (and whether it is a batch file) is known.
    const program = await resolveProgram(spec.command, {
      platform: process.platform,
      searchPath: envValue(env, 'PATH', windows) ?? '',
      pathExt: envValue(env, 'PATHEXT', windows),
      cwd: spec.cwd ?? process.cwd(),
    });
    if (!program) throw commandNotFound(spec.command);
    const launch =
      windows && isBatchFile(program)
        ? { file: commandInterpreter(env), args: batchFileArguments(program, args), verbatim: true }
        : { file: program, args, verbatim: false };
    this.onCommand?.(describeCommand(spec));

    if (spec.signal?.aborted) throw commandAborted(spec);
    const timeoutMs = spec.timeoutMs ?? this.defaultTimeoutMs;
    const started = performance.now();
    const child = spawn(launch.file, launch.args, {
      cwd: spec.cwd,
      env,
      // Without input, stdin is /dev/null (NUL): a program that reads it sees its end at once
      // instead of waiting on a pipe nobody writes to.
      stdio: [spec.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
      windowsVerbatimArguments: launch.verbatim,
    });
    const stdout = collect(child.stdout, 'stdout', spec.onOutput);
    const stderr = collect(child.stderr, 'stderr', spec.onOutput);
    if (spec.input !== undefined && child.stdin) {
      // A program that exits without reading its input closes the pipe: not our error.
      child.stdin.on('error', () => undefined);
      child.stdin.end(spec.input);
    }

    let stopped: 'timeout' | 'aborted' | null = null;
    const stop = (why: 'timeout' | 'aborted') => {
      if (stopped) return;
      stopped = why;
      void stopProcessTree(child, env, windows);
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const abortFromCaller = () => stop('aborted');
    spec.signal?.addEventListener('abort', abortFromCaller, { once: true });
    try {
      const { exitCode, signal } = await completion(child, spec.command, program);
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
        exitCode,
        signal,
        stdout: stdout(),
        stderr: stderr(),
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timer);
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

/** Settles once the process has exited and its output is read to the end. */
function completion(child: ChildProcess, command: string, program: string): Promise<{ exitCode: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    let spawned = false;
    child.once('spawn', () => {
      spawned = true;
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      // After the start, an error is a failed kill, which the stop handles; before it,
      // the program could not be started: removed since it was found, or a bug (a cwd that does not exist).
      if (spawned) return;
      reject(error.code === 'ENOENT' && !existsSync(program) ? commandNotFound(command) : error);
    });
    child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => resolve({ exitCode, signal }));
  });
}

/** All of a stream's output, decoded once at the end; onOutput gets it as it arrives, never a split character. */
function collect(
  stream: Readable | null,
  name: 'stdout' | 'stderr',
  onOutput: CommandSpec['onOutput'],
): () => string {
  const chunks: Buffer[] = [];
  const decoder = new StringDecoder('utf8');
  stream?.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    const text = onOutput ? decoder.write(chunk) : '';
    if (text) onOutput?.(text, name);
  });
  stream?.on('end', () => {
    const rest = onOutput ? decoder.end() : '';
    if (rest) onOutput?.(rest, name);
  });
  return () => Buffer.concat(chunks).toString('utf8');
}

/**
 * Stops the program and every process below it. POSIX: the tree is read from the
 * process table before anything is signalled (a child whose parent died first
 * would be reparented and lost), each gets SIGTERM, and whatever still runs after
 * the grace gets SIGKILL; a PID is signalled the second time only while it is the
 * same process (its start token, on Linux). Windows has no SIGTERM for console
 * programs: `taskkill /T /F` ends the tree at once. After the grace the output
 * pipes are closed too, so the run settles even if a process that escaped the tree
 * (a daemon) still holds one.
 */
async function stopProcessTree(child: ChildProcess, env: Env, windows: boolean): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const closePipes = () => {
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  if (windows) {
    const taskkill = `${envValue(env, 'SystemRoot', true) ?? 'C:\\Windows'}\\System32\\taskkill.exe`;
    spawn(taskkill, ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).once('error', () => child.kill());
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      closePipes();
    }, KILL_GRACE_MS).unref();
    return;
  }
  const tree = new Map<number, string | null>();
  const add = (pids: readonly number[]) => {
    for (const p of pids) if (!tree.has(p)) tree.set(p, processStartToken(p));
  };
  add([pid, ...descendantsOf(pid, await readProcessTable())]);
  for (const p of tree.keys()) signal(p, 'SIGTERM');
  setTimeout(async () => {
    // Anything the program started meanwhile, if it still runs.
    if (child.exitCode === null && child.signalCode === null) add(descendantsOf(pid, await readProcessTable()));
    // Without /proc (macOS) there is no token: a PID alive now is taken to be the same
    // process, as PIDs are handed out in sequence and not reused within seconds.
    for (const [p, token] of tree) {
      if (processStartToken(p) === token) signal(p, 'SIGKILL');
    }
    closePipes();
  }, KILL_GRACE_MS).unref();
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** cmd.exe, where Windows says it is. */
function commandInterpreter(env: Env): string {
  return envValue(env, 'ComSpec', true) ?? `${envValue(env, 'SystemRoot', true) ?? 'C:\\Windows'}\\System32\\cmd.exe`;
}

/** A variable's value; Windows' names are case-insensitive (Path and PATH are one). */
function envValue(env: Env, name: string, windows: boolean): string | undefined {
  if (!windows) return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

function mergeEnv(base: Env, overrides: Env | undefined, windows: boolean): Record<string, string> {
  const merged: Record<string, string> = {};
  const keys = new Map<string, string>();
  for (const source of [base, overrides ?? {}]) {
    for (const [key, value] of Object.entries(source)) {
      const id = windows ? key.toUpperCase() : key;
      const previous = keys.get(id);
      if (previous !== undefined) delete merged[previous];
      keys.set(id, key);
      if (value !== undefined) merged[key] = value;
    }
  }
  return merged;
}
