import type { OperatingSystem } from '@qed/core';
import type { CheckContext, CheckFacts, CheckResult, CheckStatus, EnvironmentCheck } from './check-types.js';

export interface CheckOutcome {
  status: CheckStatus;
  detail: string;
  version?: string | null;
  required?: string | null;
  hint?: string | null;
  facts?: CheckFacts;
}

/** Turns an outcome into a result labelled with the check's own id and title. */
export type Report = (outcome: CheckOutcome) => CheckResult;

export interface CheckOptions {
  /** The OSes the check applies to; elsewhere the doctor leaves it out, and a direct run is a skip. */
  platforms?: readonly OperatingSystem[];
}

const OS_NAMES: Readonly<Record<OperatingSystem, string>> = { linux: 'Linux', wsl: 'WSL', macos: 'macOS', windows: 'Windows' };

/**
 * Declares a check whose results always carry its id and title, so no check can
 * mislabel itself, and whose `run` works detached from the object.
 */
export function defineCheck(
  id: string,
  title: string,
  run: (ctx: CheckContext, report: Report) => Promise<CheckResult>,
  options: CheckOptions = {},
): EnvironmentCheck {
  const report: Report = (outcome) => ({
    id,
    title,
    status: outcome.status,
    version: outcome.version ?? null,
    required: outcome.required ?? null,
    detail: outcome.detail,
    hint: outcome.hint ?? null,
    ...(outcome.facts ? { facts: outcome.facts } : {}),
  });
  const { platforms } = options;
  if (!platforms) return { id, title, run: (ctx) => run(ctx, report) };
  return {
    id,
    title,
    platforms,
    run: (ctx) =>
      platforms.includes(ctx.platform.os)
        ? run(ctx, report)
        : Promise.resolve(report({ status: 'skip', detail: `applies only on ${platforms.map((os) => OS_NAMES[os]).join(', ')}` })),
  };
}
