import { type CommandResult, type CommandSpec, isQedError } from '@qed/core';
import type { CheckContext } from './check-types.js';

/**
 * A version query answers in well under a second; 10 s leaves room for a cold
 * disk or a slow PowerShell start while keeping `doctor` from hanging on a tool
 * that waits on a network.
 */
export const CHECK_COMMAND_TIMEOUT_MS = 10_000;

/**
 * Runs a tool the check asks about; null when it is not installed. A missing tool
 * is an answer for a check, not an error. Timeouts are left to runCheck, which
 * reports them for every check the same way.
 */
export async function runTool(ctx: CheckContext, spec: CommandSpec): Promise<CommandResult | null> {
  try {
    return await ctx.runner.run({ timeoutMs: CHECK_COMMAND_TIMEOUT_MS, ...spec });
  } catch (error) {
    if (isQedError(error, 'COMMAND_NOT_FOUND')) return null;
    throw error;
  }
}

/** The first non-blank line, trimmed: enough of a tool's message for a one-line detail. */
export function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}

/** Tools print JSON after warnings on some versions; the object starts on its own line. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  const start = text.search(/^\s*\{/m);
  if (start < 0) return null;
  try {
    const value: unknown = JSON.parse(text.slice(start));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
