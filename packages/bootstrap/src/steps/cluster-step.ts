import type { BootstrapStep } from '../pipeline-types.js';

/** The run's cluster backend's `up`: minikube creates or starts its profile; an existing context is checked. */
export const clusterStep: BootstrapStep = {
  id: 'cluster',
  title: 'Cluster',
  async plan(ctx) {
    const plan = await (await ctx.backend()).planUp();
    return { summary: plan.summary, lines: [...plan.notes, ...plan.steps] };
  },
  async apply(ctx) {
    const backend = await ctx.backend();
    const result = await backend.applyUp(await backend.planUp(), {
      consent: ctx.input.consent,
      onStep: (why) => ctx.progress(`${why}…`),
      onOutput: (line) => ctx.progress(line),
    });
    return { detail: result.detail };
  },
};
