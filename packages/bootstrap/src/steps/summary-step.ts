import { Discovery } from '@qed/kube';
import { formatStatus, readStatus } from '@qed/manifests';
import type { BootstrapStep } from '../pipeline-types.js';

/** What runs and how to reach it: the `status` table, with the backend's way to each service (port-forward, minikube service). */
export const summaryStep: BootstrapStep<{ namespace: string }> = {
  id: 'summary',
  title: 'Summary',
  async plan(ctx) {
    return { namespace: ctx.input.namespace };
  },
  describe(plan) {
    return { summary: `print what runs in namespace ${plan.namespace} and how to reach each service; changes nothing`, lines: [] };
  },
  async apply(ctx, plan) {
    const { api, context } = await ctx.cluster();
    const backend = await ctx.backend();
    const status = await readStatus(api, new Discovery(api), plan.namespace, { serviceAccess: (service) => backend.serviceAccess(service) });
    const ready = status.workloads.filter((w) => w.ready).length;
    return {
      detail: `${ready}/${status.workloads.length} workloads ready, ${status.services.length} services in namespace ${plan.namespace} on ${context}`,
      report: formatStatus(status, (_style, text) => text),
    };
  },
};
