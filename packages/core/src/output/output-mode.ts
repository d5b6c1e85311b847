/**
 * How qed-bootstrap talks to its user, decided once from flags, environment and
 * terminal: colour (off for NO_COLOR, --no-color, TERM=dumb and non-TTY output;
 * on for FORCE_COLOR), machine-readable --json, --quiet, and whether prompts are
 * allowed (never under CI=true, --yes, --json or without a terminal).
 */
export interface OutputMode {
  color: boolean;
  json: boolean;
  quiet: boolean;
  interactive: boolean;
  ci: boolean;
  debug: boolean;
}

export interface OutputFlags {
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  yes?: boolean;
  debug?: boolean;
}

export interface TerminalFacts {
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
}

export function isTruthyEnv(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export function resolveOutputMode(
  flags: OutputFlags,
  env: Readonly<Record<string, string | undefined>>,
  terminal: TerminalFacts,
): OutputMode {
  const ci = isTruthyEnv(env.CI);
  const json = flags.json === true;
  let color: boolean;
  if (flags.color === false || json) color = false;
  // no-color.org: any non-empty NO_COLOR disables colour, whatever its value.
  else if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') color = false;
  else if (env.FORCE_COLOR !== undefined) color = env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  else if (env.TERM === 'dumb') color = false;
  else color = terminal.stdoutIsTTY;
  return {
    color,
    json,
    quiet: flags.quiet === true,
    interactive: !ci && !json && flags.yes !== true && terminal.stdinIsTTY && terminal.stdoutIsTTY,
    ci,
    debug: flags.debug === true,
  };
}
