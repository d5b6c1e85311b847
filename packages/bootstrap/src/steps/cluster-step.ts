import type { UpPlan } from '@qed/cluster';
import type { BootstrapStep } from '../pipeline-types.js';

/** The run's cluster backend's `up`: minikube creates or starts its profile; an existing context is checked. */
export const clusterStep: BootstrapStep<UpPlan> = {
  id: 'cluster',
  title: 'Cluster',
  async plan(ctx) {
    return (await ctx.backend()).planUp();
  },
  describe(plan) {
    return { summary: plan.summary, lines: [...plan.notes, ...plan.steps] };
  },
  async apply(ctx, plan) {
    const result = await (await ctx.backend()).applyUp(plan, {
      consent: ctx.input.consent,
      onStep: (why) => ctx.progress(`${why}…`),
      onOutput: (line) => ctx.progress(line),
    });
    return { detail: result.detail };
  },
};
