import { type CommandRunner, fixedClock, Output, type OutputMode } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import type { CliContext } from '../cli-context.js';

/**
 * A command's context for its tests: output captured (no colour, CI, unless `mode`
 * says otherwise), a fixed clock, and no config (commands that read none). Kept out
 * of the build (tsconfig excludes *.test-support.ts).
 */
export function capturedCliContext(cwd: string, options: { runner?: CommandRunner; mode?: Partial<OutputMode> } = {}) {
  const out = { stdout: '', stderr: '' };
  const output = new Output(
    { color: false, json: false, quiet: false, interactive: false, ci: true, debug: false, ...options.mode },
    { write: (chunk: string) => (out.stdout += chunk) },
    { write: (chunk: string) => (out.stderr += chunk) },
  );
  const ctx: CliContext = {
    cwd,
    projectDir: cwd,
    env: {},
    homeDir: '/home/me',
    output,
    runner: options.runner ?? new FakeCommandRunner(),
    clock: fixedClock(new Date('2026-01-02T03:04:05Z')),
    loadConfig: () => Promise.reject(new Error('this command reads no config in its tests')),
  };
  return { ctx, out };
}
