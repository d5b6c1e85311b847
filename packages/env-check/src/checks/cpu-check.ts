import { defineCheck } from '../define-check.js';

/** `minikube start` refuses fewer than 2 CPUs. */
export const MINIKUBE_MINIMUM_CPUS = 2;

export const cpuCheck = defineCheck('cpu', 'CPUs', async (ctx, report) => {
  const have = ctx.platform.cpuCount;
  const want = ctx.config.cluster.cpus;
  const required = `${want} for the cluster (cluster.cpus); minikube needs at least ${MINIKUBE_MINIMUM_CPUS}`;
  if (have < MINIKUBE_MINIMUM_CPUS) {
    return report({
      status: 'fail',
      required,
      detail: `${have} CPU${have === 1 ? '' : 's'}; minikube needs at least ${MINIKUBE_MINIMUM_CPUS}`,
      hint: `Use a machine (or give this VM) at least ${MINIKUBE_MINIMUM_CPUS} CPUs.`,
    });
  }
  if (have < want) {
    return report({
      status: 'warn',
      required,
      detail: `${have} CPUs, fewer than the ${want} the cluster asks for`,
      hint: `Give the cluster what there is: set cluster.cpus: ${have} in qed.config.yaml.`,
    });
  }
  return report({ status: 'ok', required, detail: `${have} CPUs; the cluster uses ${want}` });
});
