import { describeCommand, QedError } from '@qed/core';
import { applyClusterPlan } from '@qed/minikube';
import { loadKubeConfig, probeCluster } from '@qed/manifests';
import type { BootstrapStep } from '../pipeline-types.js';

/** minikube: the existing `cluster up` logic. context:NAME: the context exists and its API server answers. */
export const clusterStep: BootstrapStep = {
  id: 'cluster',
  title: 'Cluster',
  async plan(ctx) {
    if (ctx.input.target.kind === 'context') {
      const context = ctx.input.target.context;
      return {
        summary: `use the existing context ${context}; no cluster is created`,
        lines: [`check that the kubeconfig has a context named ${context}`, `GET /version on its API server (it must answer within 5s)`],
      };
    }
    const plan = await ctx.minikubePlan();
    return {
      summary: plan.action === 'none' ? `minikube profile ${plan.profile} runs with the wanted settings: nothing to do` : `${plan.action} minikube profile ${plan.profile}`,
      lines: [...plan.notes, ...plan.steps.map((step) => `${describeCommand(step)}    # ${step.why}`)],
    };
  },
  async apply(ctx) {
    if (ctx.input.target.kind === 'context') {
      const context = ctx.input.target.context;
      // Checked first, so a typo is CLUSTER_NO_CONTEXT with the known contexts, not a connection error.
      await loadKubeConfig({ context });
      const { api, server } = await ctx.cluster();
      const probe = await probeCluster(api, 5000);
      if (!probe.reachable) {
        throw new QedError('CLUSTER_UNREACHABLE', `context ${context}: the API server at ${server} does not answer: ${probe.reason}`, {
          hint: `Start that cluster, or check it with \`kubectl --context ${context} get nodes\`; then run \`npx qed-bootstrap --target context:${context}\` again.`,
        });
      }
      return { detail: `context ${context}: Kubernetes ${probe.version} answers at ${server}` };
    }
    const plan = await ctx.minikubePlan();
    const result = await applyClusterPlan(plan, {
      runner: ctx.deps.runner,
      consent: ctx.input.consent,
      onStep: (step) => ctx.progress(`${step.why}…`),
      onOutput: (chunk) => {
        const line = chunk.trimEnd().split('\n').pop();
        if (line) ctx.progress(line);
      },
    });
    return {
      detail:
        plan.action === 'none'
          ? `${plan.profile} already runs with the wanted settings (context ${result.context ?? 'unknown'})`
          : `${plan.profile}: ${plan.action} done; context ${result.context ?? '(kubectl not found)'}`,
    };
  },
};
