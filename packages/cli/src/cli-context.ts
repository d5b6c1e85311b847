import os from 'node:os';
import { isatty } from 'node:tty';
import {
  type Clock,
  type CommandRunner,
  type LoadedConfig,
  loadConfig,
  locateProject,
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
  /** Where the command was run: paths the user types are relative to it. */
  cwd: string;
  /**
   * The project folder: where the qed.config.yaml in effect is (the nearest one here
   * or above, or --config's), else the cwd. `.qed/` belongs here.
   */
  projectDir: string;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  output: Output;
  runner: CommandRunner;
  /** The calendar time (backup names, timestamps); tests stop it. */
  clock: Clock;
  loadConfig(): Promise<LoadedConfig>;
}

export async function createCliContext(options: GlobalOptions): Promise<CliContext> {
  const env = { ...process.env };
  const mode: OutputMode = resolveOutputMode(options, env, {
    stdoutIsTTY: process.stdout.isTTY === true,
    // isatty, not process.stdin.isTTY: the same answer without opening stdin as a stream
    // (a socket on a pipe), which a command that never reads it would pay for at start-up.
    stdinIsTTY: isatty(0),
  });
  const output = new Output(mode, process.stdout, process.stderr);
  const cwd = process.cwd();
  const homeDir = os.homedir();
  const project = await locateProject({ cwd, ...(options.config ? { configPath: options.config } : {}) });
  if (mode.debug) {
    process.stderr.write(`${output.paint('gray', `# config: ${project.configFile ?? 'none found here or above, defaults only'}; project folder ${project.root}`)}\n`);
  }
  let loaded: Promise<LoadedConfig> | undefined;
  return {
    cwd,
    projectDir: project.root,
    env,
    homeDir,
    output,
    clock: systemClock,
    runner: new ProcessRunner({
      env,
      onCommand: mode.debug ? (line) => process.stderr.write(`${output.paint('gray', `$ ${line}`)}\n`) : undefined,
    }),
    loadConfig: () => {
      // --config keeps its own semantics (the file must exist); a file found by the search is read from its folder.
      loaded ??= loadConfig(options.config ? { cwd, homeDir, configPath: options.config } : { cwd: project.root, homeDir });
      return loaded;
    },
  };
}
