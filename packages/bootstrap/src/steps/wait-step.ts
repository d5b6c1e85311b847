import { QedError } from '@qed/core';
import { Discovery } from '@qed/kube';
import { type KubeObject, WAITED_KINDS, waitReady } from '@qed/manifests';
import type { BootstrapStep } from '../pipeline-types.js';
import { loadRenderedObjects } from './apply-step.js';

export const DEFAULT_WAIT_TIMEOUT_MS = 300_000;
const waited = (kind: string) => (WAITED_KINDS as readonly string[]).includes(kind);

export interface WaitStepPlan {
  /** The workloads and claims of the set (the kinds waitReady knows). */
  objects: readonly KubeObject[];
  timeoutMs: number;
}

/** Every Deployment available, StatefulSet ready, Job complete and claim bound; what is not gets diagnosed. */
export const waitStep: BootstrapStep<WaitStepPlan> = {
  id: 'wait',
  title: 'Wait until ready',
  async plan(ctx) {
    const objects = ctx.handoff.rendered?.objects ?? (await loadRenderedObjects(ctx));
    return { objects: objects.map((o) => o.object).filter((o) => waited(o.kind)), timeoutMs: ctx.input.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS };
  },
  describe(plan, ctx) {
    return {
      summary: `wait up to ${Math.round(plan.timeoutMs / 1000)}s for ${plan.objects.length} workloads and claims; changes nothing`,
      lines: plan.objects.map((o) => `wait for ${o.kind} ${ctx.input.namespace}/${o.metadata.name}`),
    };
  },
  async apply(ctx, plan) {
    const { api } = await ctx.cluster();
    const result = await waitReady(api, new Discovery(api), plan.objects, ctx.input.namespace, {
      timeoutMs: plan.timeoutMs,
      signal: ctx.signal,
      onReady: (object, summary) => ctx.progress(`ready ${object} (${summary})`),
    });
    if (ctx.signal.aborted) return { detail: 'interrupted' };
    if (result.notReady.length > 0) {
      throw new QedError(
        'NOT_READY',
        `${result.notReady.length} of ${result.ready.length + result.notReady.length} not ready in namespace ${ctx.input.namespace}:\n  ${result.notReady.map((d) => `${d.object}: ${d.message}`).join('\n  ')}`,
        {
          hint: `${[...new Set(result.notReady.map((d) => d.hint))].join(' ')} Then run \`npx qed-bootstrap\` again: it resumes at the wait.`,
          data: { notReady: result.notReady },
        },
      );
    }
    return { detail: `${result.ready.length} workloads and claims ready` };
  },
};
