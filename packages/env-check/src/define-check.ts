import type { CheckContext, CheckResult, CheckStatus, EnvironmentCheck } from './check-types.js';

export interface CheckOutcome {
  status: CheckStatus;
  detail: string;
  version?: string | null;
  required?: string | null;
  hint?: string | null;
}

/** Turns an outcome into a result labelled with the check's own id and title. */
export type Report = (outcome: CheckOutcome) => CheckResult;

/**
 * Declares a check whose results always carry its id and title, so no check can
 * mislabel itself, and whose `run` works detached from the object.
 */
export function defineCheck(
  id: string,
  title: string,
  run: (ctx: CheckContext, report: Report) => Promise<CheckResult>,
): EnvironmentCheck {
  const report: Report = (outcome) => ({
    id,
    title,
    status: outcome.status,
    version: outcome.version ?? null,
    required: outcome.required ?? null,
    detail: outcome.detail,
    hint: outcome.hint ?? null,
  });
  return { id, title, run: (ctx) => run(ctx, report) };
}
