import {
  type ClusterDriver,
  driverSupport,
  isQedError,
  type MinikubeDriver,
  suggestedDrivers,
} from '@qed/core';
import type { CheckContext, CheckResult } from '../check-types.js';
import type { Report } from '../define-check.js';

type CheckBody = (ctx: CheckContext, report: Report) => Promise<CheckResult>;

/**
 * How much a driver's check matters under the config's cluster.driver: when it
 * names this driver, a missing or broken piece blocks (fail); under `auto` the
 * driver may be chosen, so a broken one is worth a warning; under any other
 * driver it is information only.
 */
export interface DriverNeed {
  driver: MinikubeDriver;
  configured: ClusterDriver;
  needed: boolean;
  /** For the report's REQUIRED column; null when the driver is not the configured one. */
  required: string | null;
}

export function driverNeed(ctx: CheckContext, driver: MinikubeDriver, what: string): DriverNeed {
  const configured = ctx.config.cluster.driver;
  const needed = configured === driver;
  return { driver, configured, needed, required: needed ? `${what} (cluster.driver is ${driver})` : null };
}

/**
 * A driver minikube does not offer on this OS and CPU is reported with the reason
 * and nothing is run; null when it is offered here.
 */
export function reportUnsupported(ctx: CheckContext, report: Report, need: DriverNeed): CheckResult | null {
  const { os, arch } = ctx.platform;
  const support = driverSupport(need.driver, os, arch);
  if (support.supported) return null;
  if (!need.needed)
    return report({ status: 'skip', detail: `${support.reason}; not needed for driver ${need.configured}` });
  return report({
    status: 'fail',
    required: need.required,
    detail: support.reason,
    hint: `Use ${suggestedDrivers(os, arch, [need.driver])} instead: set cluster.driver in qed.config.yaml (auto chooses from what this report finds).`,
  });
}

/** Not installed: blocks only the driver the config names. */
export function reportMissing(report: Report, need: DriverNeed, detail: string, hint: string): CheckResult {
  return need.needed
    ? report({ status: 'fail', required: need.required, detail, hint })
    : report({ status: 'skip', detail: `${detail}; not needed for driver ${need.configured}` });
}

/**
 * Installed but not usable: fails for the configured driver (or warns, when
 * minikube would go on anyway), warns under auto, informs otherwise.
 */
export function reportBroken(
  report: Report,
  need: DriverNeed,
  outcome: { detail: string; hint: string; version?: string | null; worst?: 'fail' | 'warn' },
): CheckResult {
  const status = need.needed ? (outcome.worst ?? 'fail') : need.configured === 'auto' ? 'warn' : 'skip';
  return report({
    status,
    required: need.required,
    version: outcome.version ?? null,
    detail:
      status === 'skip' ? `${outcome.detail}; not needed for driver ${need.configured}` : outcome.detail,
    hint: status === 'skip' ? null : outcome.hint,
  });
}

/**
 * A driver's tool that hangs (libvirt's daemon, a podman machine) is a broken
 * driver, not a broken machine: it fails the doctor only when cluster.driver
 * names that driver, like any other problem of it.
 */
export function hangIsBroken(needOf: (ctx: CheckContext) => DriverNeed, body: CheckBody): CheckBody {
  return async (ctx, report) => {
    try {
      return await body(ctx, report);
    } catch (error) {
      if (!isQedError(error, 'COMMAND_TIMEOUT')) throw error;
      return reportBroken(report, needOf(ctx), {
        detail: error.message,
        hint:
          error.hint ??
          'The tool did not answer in time: run it by hand to see where it hangs (a stuck daemon or VM).',
      });
    }
  };
}
