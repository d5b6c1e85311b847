import { parseRegistryEndpoint, requireConsent, systemClock } from '@qed/core';
import {
  applyDockerConfigFix,
  describeDockerConfigFix,
  type DockerConfigFixPlan,
  localRegistryHosts,
  planDockerConfigFix,
  readDockerConfigFacts,
} from '@qed/docker-config';
import type { BootstrapStep } from '../pipeline-types.js';

const NOT_MACOS = "only Docker Desktop on macOS writes the credsStore entries that break pushes to a local registry";

/** Not macOS: nothing to fix (and nothing read); else the fix as planned from docker's config. */
export type DockerConfigStepPlan = { action: 'not-macos' } | DockerConfigFixPlan;

/** macOS only: the credsStore fix from `docker-config fix`, with its backup. */
export const dockerConfigStep: BootstrapStep<DockerConfigStepPlan> = {
  id: 'docker-config',
  title: 'Docker config (macOS)',
  async plan(ctx) {
    if ((await ctx.platform()).os !== 'macos') return { action: 'not-macos' };
    const facts = await readDockerConfigFacts({ env: ctx.deps.env, homeDir: ctx.deps.homeDir });
    return planDockerConfigFix(facts, { now: (ctx.deps.clock ?? systemClock).now(), registryHosts: localRegistryHosts(parseRegistryEndpoint(ctx.input.config.registry.host).port) });
  },
  describe(plan) {
    if (plan.action === 'not-macos') return { summary: `skip: ${NOT_MACOS}`, lines: [] };
    return plan.action === 'none'
      ? { summary: plan.reason, lines: [] }
      : { summary: `fix ${plan.path} (backup ${plan.backupPath})`, lines: describeDockerConfigFix(plan) };
  },
  async apply(ctx, plan) {
    if (plan.action === 'not-macos') return { detail: NOT_MACOS, skipped: true };
    if (plan.action === 'none') return { detail: plan.reason };
    requireConsent(ctx.input.fixDockerConfig, {
      action: `Fixing ${plan.path}, whose entries break pushes to the local registry,`,
      alternative: 'run `npx qed-bootstrap docker-config fix` (it keeps a backup)',
      data: { file: plan.path },
    });
    const outcome = await applyDockerConfigFix(plan, { consent: ctx.input.fixDockerConfig });
    return { detail: outcome.status === 'written' ? `fixed ${plan.path}; backup at ${outcome.backupPath}` : 'nothing to do' };
  },
};
