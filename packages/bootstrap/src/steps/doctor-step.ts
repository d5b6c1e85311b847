import { QedError } from '@qed/core';
import { type CheckResult, defaultChecks, type EnvironmentCheck } from '@qed/env-check';
import type { BootstrapStep, StepContext } from '../pipeline-types.js';
import type { BootstrapTarget } from '../target.js';

/**
 * Checks that only matter when the pipeline makes a minikube VM: an existing
 * context brings its own nodes, so a missing minikube or hypervisor, or this
 * machine's CPUs, memory and disk, do not block it.
 */
const MINIKUBE_ONLY_CHECKS = new Set([
  'minikube',
  'virtualbox',
  'hyperv',
  'kvm2',
  'qemu2',
  'vfkit',
  'podman',
  'parallels',
  'vmware',
  'virtualization',
  'cpu',
  'memory',
  'disk',
]);

export function doctorChecksFor(target: BootstrapTarget): readonly EnvironmentCheck[] {
  return target.kind === 'minikube' ? defaultChecks : defaultChecks.filter((check) => !MINIKUBE_ONLY_CHECKS.has(check.id));
}

export const doctorStep: BootstrapStep = {
  id: 'doctor',
  title: 'Check this machine',
  async plan(ctx) {
    const os = (await ctx.platform()).os;
    // Only the checks that run on this OS (the others report "skip"), so the count matches the report.
    const checks = doctorChecksFor(ctx.input.target).filter((check) => !check.platforms || check.platforms.includes(os));
    return {
      summary: `run ${checks.length} checks; changes nothing`,
      lines: checks.map((check) => `check ${check.id}: ${check.title}`),
    };
  },
  async apply(ctx) {
    const report = await ctx.doctor();
    const failed = report.checks.filter((c) => c.status === 'fail');
    if (failed.length > 0) throw doctorFailed(failed, ctx);
    return { detail: countStatuses(report.checks) };
  },
};

function doctorFailed(failed: readonly CheckResult[], ctx: StepContext): QedError {
  return new QedError(
    'DOCTOR_FAILED',
    `${failed.length} required check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => `${c.id} (${c.detail})`).join('; ')}`,
    {
      hint: `${failed.map((c) => `${c.id}: ${c.hint ?? 'see `qed-bootstrap doctor`'}`).join(' ')} Then run \`npx qed-bootstrap\` again; it resumes at the doctor.${ctx.input.target.kind === 'minikube' ? ' (Deploying to an existing cluster instead? --target context:NAME needs no minikube.)' : ''}`,
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
