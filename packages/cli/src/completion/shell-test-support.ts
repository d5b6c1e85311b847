import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type CommandResult, isQedError, isTruthyEnv, ProcessRunner } from '@qed/core';
import { buildProgram } from '../program.js';
import { type CompletionShell, completionScript } from './index.js';

const runner = new ProcessRunner({ defaultTimeoutMs: 60_000 });

/** Runs a shell with the real runner. */
export function runShell(shell: string, args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Promise<CommandResult> {
  return runner.run({ command: shell, args, env });
}

/**
 * Whether a shell is installed. Its tests are skipped without it on a laptop, saying so
 * in their name; on CI (CI=true) they run and fail: CI must have every shell.
 */
export async function shellInstalled(shell: string, versionArgs: readonly string[] = ['--version']): Promise<boolean> {
  if (isTruthyEnv(process.env.CI)) return true;
  try {
    await runShell(shell, versionArgs);
    return true;
  } catch (error) {
    if (isQedError(error, 'COMMAND_NOT_FOUND')) return false;
    throw error;
  }
}

/** The program's completion script for a shell, written to a temporary file. */
export async function scriptFile(shell: CompletionShell): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-completion-')), `qed-bootstrap.${shell}`);
  await writeFile(file, completionScript(buildProgram(), shell));
  return file;
}
