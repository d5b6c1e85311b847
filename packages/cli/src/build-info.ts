import type { CommandRunner } from '@qed/core';

/** What this qed-bootstrap is: its version, and the commit it was built from (null when unknown). */
export interface BuildInfo {
  version: string;
  commit: string | null;
}

/**
 * Set by the bundler of the published package (rolldown's `define`, a JSON object
 * literal). Absent when the CLI runs from this repository's sources or its tsc build.
 */
declare const __QED_BUILD_INFO__: BuildInfo | undefined;

/**
 * The version and commit, read only when asked (--version, doctor): nothing of it runs
 * at start-up. A bundle carries both in __QED_BUILD_INFO__; from the repository the
 * version is the cli package's and the commit is the checkout's HEAD, asked of git
 * through the runner (no git, or not a checkout: null).
 */
export async function buildInfo(runner?: CommandRunner): Promise<BuildInfo> {
  if (typeof __QED_BUILD_INFO__ !== 'undefined') return __QED_BUILD_INFO__;
  const [{ readFile }, path, { fileURLToPath }, core] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('node:url'),
    import('@qed/core'),
  ]);
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { version, commit: await checkoutCommit(runner ?? new core.ProcessRunner(), packageDir) };
}

/** `qed-bootstrap 0.1.0 (commit abc1234)`, without the commit when it is not known. */
export function formatBuildInfo(info: BuildInfo): string {
  return `qed-bootstrap ${info.version}${info.commit ? ` (commit ${info.commit})` : ''}`;
}

async function checkoutCommit(runner: CommandRunner, dir: string): Promise<string | null> {
  try {
    const result = await runner.run({
      command: 'git',
      args: ['rev-parse', '--short', 'HEAD'],
      cwd: dir,
      // The checkout this file is in, whatever repository the shell points git at.
      env: { GIT_DIR: undefined, GIT_WORK_TREE: undefined },
      timeoutMs: 10_000,
    });
    const commit = result.stdout.trim();
    return result.exitCode === 0 && /^[0-9a-f]{4,64}$/.test(commit) ? commit : null;
  } catch {
    // git not installed, or too slow to answer: the version alone.
    return null;
  }
}
