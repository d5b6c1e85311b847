import path from 'node:path';
import { type CommandRunner, QedError } from '@qed/core';

export interface BuildScriptDeps {
  runner: CommandRunner;
  progress: (message: string) => void;
}

/**
 * Runs one of scripts/*.sh (apt-get installs, Go builds) with the binary cache
 * outside the repository. A cold build runs for minutes: the scripts' own progress
 * lines are passed on. Exit 3 means a missing prerequisite, whose last line is the fix.
 */
export async function runBuildScript(
  deps: BuildScriptDeps,
  script: string,
  args: string[],
  cacheRoot: string,
): Promise<void> {
  const result = await deps.runner.run({
    command: 'bash',
    args: [script, ...args],
    env: { QED_TESTENV_CACHE: cacheRoot },
    timeoutMs: 60 * 60_000,
    onOutput: (chunk, stream) => {
      if (stream !== 'stderr') return;
      for (const line of chunk.split('\n')) {
        if (line.startsWith('[testenv ')) deps.progress(line.replace(/^\[testenv [a-z]+\] /, ''));
      }
    },
  });
  if (result.exitCode !== 0) {
    const tail = result.stderr.trim().split('\n').slice(-15).join('\n');
    const command = `bash ${script} ${args.join(' ')}`.trim();
    throw new QedError('TESTENV_PREREQUISITE', `${path.basename(script)} ${args.join(' ')} failed (exit ${result.exitCode})`, {
      hint: result.exitCode === 3 ? tail.split('\n').pop() : `Run \`${command}\` to see the whole output.`,
      data: { output: tail },
    });
  }
}
