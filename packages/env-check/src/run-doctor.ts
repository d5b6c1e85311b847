import { isQedError } from '@qed/core';
import type { CheckContext, CheckResult, DoctorReport, EnvironmentCheck } from './check-types.js';
import { defaultChecks } from './default-checks.js';

/**
 * Runs one check and always returns a result: a tool that hangs is the user's
 * problem to fix and says so; any other exception is a bug in the check, reported
 * as one instead of taking the whole report down.
 */
export async function runCheck(check: EnvironmentCheck, ctx: CheckContext): Promise<CheckResult> {
  const failed = (detail: string, hint: string): CheckResult => ({
    id: check.id,
    title: check.title,
    status: 'fail',
    version: null,
    required: null,
    detail,
    hint,
  });
  try {
    return await check.run(ctx);
  } catch (error) {
    if (isQedError(error, 'COMMAND_TIMEOUT')) {
      return failed(
        error.message,
        error.hint ??
          'The tool did not answer in time: run the command by hand to see where it hangs (a prompt, a network, a stuck daemon).',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    const where = error instanceof Error ? stackFrame(error) : null;
    return failed(
      `internal error in check ${check.id}: ${message} (this is a bug)`,
      `Please report it with the output of \`qed-bootstrap doctor --json\`${where ? `; it was thrown ${where}` : ''}.`,
    );
  }
}

/**
 * Checks are independent, so they all run at once: doctor takes as long as its
 * slowest check. A check declared for other OSes (vfkit on Linux, kvm2 on macOS)
 * is left out of the report rather than listed as skipped.
 */
export async function runDoctor(
  ctx: CheckContext,
  checks: readonly EnvironmentCheck[] = defaultChecks,
): Promise<DoctorReport> {
  const here = checks.filter((check) => check.platforms?.includes(ctx.platform.os) ?? true);
  const results = await Promise.all(here.map((check) => runCheck(check, ctx)));
  return { ok: results.every((result) => result.status !== 'fail'), checks: results };
}

function stackFrame(error: Error): string | null {
  return (
    error.stack
      ?.split('\n')
      .find((line) => /^\s+at /.test(line))
      ?.trim() ?? null
  );
}
