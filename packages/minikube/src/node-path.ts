import { type OperatingSystem, toNodePath } from '@qed/core';

/**
 * Mounting the data root where the node sees it (core's toNodePath: on Windows
 * `C:\Users\me\qed` is `/c/Users/me/qed`) is what makes the rendered hostPath
 * volumes point at the user's files.
 */
export function mountString(dataRoot: string, os: OperatingSystem): string {
  return `${dataRoot}:${toNodePath(dataRoot, os)}`;
}
