import { formatBytes } from '@qed/core';
import { defineCheck } from '../define-check.js';

const MIB = 1024 ** 2;

/**
 * Room beside the cluster's disk: the QED images are pulled and built on the host
 * before they reach the registry, and minikube keeps its ISO, preload tarballs and
 * image cache outside the VM.
 */
export const HOST_DISK_HEADROOM_BYTES = 10 * 1024 ** 3;

export const diskCheck = defineCheck('disk', 'Disk space', async (ctx, report) => {
  const { freeDiskBytes: free, diskPath } = ctx.platform;
  const disk = ctx.config.cluster.diskSizeMb * MIB;
  const required = `${formatBytes(disk)} for the cluster + ${formatBytes(HOST_DISK_HEADROOM_BYTES)} for images and caches`;
  if (free === null) {
    return report({
      status: 'warn',
      required,
      detail: `could not measure the free space at ${diskPath}`,
      hint: `Make sure ${diskPath} has ${formatBytes(disk + HOST_DISK_HEADROOM_BYTES)} free.`,
    });
  }
  const detail = `${formatBytes(free)} free at ${diskPath}`;
  const lower = 'or set a smaller cluster.diskSizeMb in qed.config.yaml';
  if (free < disk) {
    return report({
      status: 'fail',
      required,
      detail: `${detail}, less than the ${formatBytes(disk)} the cluster's disk takes (cluster.diskSizeMb: ${ctx.config.cluster.diskSizeMb})`,
      hint: `Free ${formatBytes(disk + HOST_DISK_HEADROOM_BYTES - free)} at ${diskPath} (docker system prune removes unused images), ${lower}.`,
    });
  }
  if (free < disk + HOST_DISK_HEADROOM_BYTES) {
    return report({
      status: 'warn',
      required,
      detail: `${detail}: the cluster's disk fits, with less than ${formatBytes(HOST_DISK_HEADROOM_BYTES)} left for images and caches`,
      hint: `Free ${formatBytes(disk + HOST_DISK_HEADROOM_BYTES - free)} at ${diskPath} (docker system prune removes unused images), ${lower}.`,
    });
  }
  return report({ status: 'ok', required, detail });
});
