import { QedError } from '@qed/core';
import { type CheckResult, type EnvironmentCheck, defaultChecks } from '@qed/env-check';
import type { BootstrapStep } from '../pipeline-types.js';

/** The checks this run would make. */
export interface DoctorPlan {
  checks: readonly EnvironmentCheck[];
}

/** The checks the run's cluster backend needs: all of them for minikube, none of the cluster-making ones for an existing context. */
export const doctorStep: BootstrapStep<DoctorPlan> = {
  id: 'doctor',
  title: 'Check this machine',
  async plan(ctx) {
    const os = (await ctx.platform()).os;
    // The checks the run's cluster backend needs, and only those that run on this OS
    // (the others report "skip"), so the count matches the report.
    const backend = await ctx.backend();
    return { checks: backend.doctorChecks(defaultChecks).filter((check) => !check.platforms || check.platforms.includes(os)) };
  },
  describe(plan) {
    return {
      summary: `run ${plan.checks.length} checks; changes nothing`,
      lines: plan.checks.map((check) => `check ${check.id}: ${check.title}`),
    };
  },
  async apply(ctx) {
    // ctx.doctor() runs the same checks (the backend's list), once per run: the
    // cluster backend reads its findings too (the drivers found).
    const report = await ctx.doctor();
    const failed = report.checks.filter((c) => c.status === 'fail');
    if (failed.length > 0) throw doctorFailed(failed, (await ctx.backend()).doctorHint);
    return { detail: countStatuses(report.checks) };
  },
};

function doctorFailed(failed: readonly CheckResult[], otherwise: string | null): QedError {
  return new QedError(
    'DOCTOR_FAILED',
    `${failed.length} required check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => `${c.id} (${c.detail})`).join('; ')}`,
    {
      hint: `${failed.map((c) => `${c.id}: ${c.hint ?? 'see `qed-bootstrap doctor`'}`).join(' ')} Then run \`npx qed-bootstrap\` again; it resumes at the doctor.${otherwise ? ` (${otherwise})` : ''}`,
      data: { checks: failed.map((c) => c.id) },
    },
  );
}

function countStatuses(checks: readonly CheckResult[]): string {
  const counts = new Map<string, number>();
  for (const check of checks) counts.set(check.status, (counts.get(check.status) ?? 0) + 1);
  const warned = checks.filter((c) => c.status === 'warn').map((c) => c.id);
  return `${checks.length} checks: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}${warned.length ? ` (warnings: ${warned.join(', ')})` : ''}`;
}
