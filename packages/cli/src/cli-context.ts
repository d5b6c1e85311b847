import os from 'node:os';
import {
  type Clock,
  type CommandRunner,
  type LoadedConfig,
  loadConfig,
  Output,
  type OutputMode,
  resolveOutputMode,
  ProcessRunner,
  systemClock,
} from '@qed/core';

/** The global flags every command accepts. */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  yes?: boolean;
  debug?: boolean;
}

/**
 * Everything a command may touch, wired once here: the commands themselves take
 * it as an argument and read no globals, so each is callable as a function.
 */
export interface CliContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  output: Output;
  runner: CommandRunner;
  /** The calendar time (backup names, timestamps); tests stop it. */
  clock: Clock;
  loadConfig(): Promise<LoadedConfig>;
}

export function createCliContext(options: GlobalOptions): CliContext {
  const env = { ...process.env };
  const mode: OutputMode = resolveOutputMode(options, env, {
    stdoutIsTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
  });
  const output = new Output(mode, process.stdout, process.stderr);
  const cwd = process.cwd();
  const homeDir = os.homedir();
  let loaded: Promise<LoadedConfig> | undefined;
  return {
    cwd,
    env,
    homeDir,
    output,
    clock: systemClock,
    runner: new ProcessRunner({
      env,
      onCommand: mode.debug ? (line) => process.stderr.write(`${output.paint('gray', `$ ${line}`)}\n`) : undefined,
    }),
    loadConfig: () => {
      loaded ??= loadConfig({ cwd, homeDir, ...(options.config ? { configPath: options.config } : {}) });
      return loaded;
    },
  };
}
