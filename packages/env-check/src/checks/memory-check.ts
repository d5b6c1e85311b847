import { formatBytes } from '@qed/core';
import { defineCheck } from '../define-check.js';

const MIB = 1024 ** 2;

/**
 * What the host keeps for itself beside the cluster: the OS, the hypervisor or
 * Docker Desktop process, a browser and a shell. With less, the host swaps and the
 * cluster's API server starts timing out.
 */
export const HOST_MEMORY_HEADROOM_BYTES = 2 * 1024 ** 3;

/** `minikube start` refuses a cluster with less memory than this. */
const MINIKUBE_MINIMUM_MEMORY_MB = 1800;

export const memoryCheck = defineCheck('memory', 'Memory', async (ctx, report) => {
  const total = ctx.platform.totalMemoryBytes;
  const cluster = ctx.config.cluster.memoryMb * MIB;
  const required = `${formatBytes(cluster)} for the cluster + ${formatBytes(HOST_MEMORY_HEADROOM_BYTES)} for the host`;
  const detail = `${formatBytes(total)} in total`;
  // Rounded down to 512 MiB: a number a person would write in the config.
  const fits = Math.floor((total - HOST_MEMORY_HEADROOM_BYTES) / MIB / 512) * 512;
  const lower =
    fits >= MINIKUBE_MINIMUM_MEMORY_MB
      ? `set cluster.memoryMb: ${fits} in qed.config.yaml`
      : `this machine cannot hold minikube's minimum of ${MINIKUBE_MINIMUM_MEMORY_MB} MB plus the host's share: use one with more memory`;
  if (total < cluster) {
    return report({
      status: 'fail',
      required,
      detail: `${detail}, less than the ${formatBytes(cluster)} the cluster asks for (cluster.memoryMb: ${ctx.config.cluster.memoryMb})`,
      hint: `Give the cluster less: ${lower}.`,
    });
  }
  if (total < cluster + HOST_MEMORY_HEADROOM_BYTES) {
    return report({
      status: 'warn',
      required,
      detail: `${detail}: the cluster fits, but leaves the host less than ${formatBytes(HOST_MEMORY_HEADROOM_BYTES)}`,
      hint: `Close other programs while the cluster runs, or ${lower}.`,
    });
  }
  return report({ status: 'ok', required, detail });
});
