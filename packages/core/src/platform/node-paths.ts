import path from 'node:path';
import type { OperatingSystem } from '@qed/core';

/**
 * Where a folder of the user's machine is seen from inside the cluster node, for
 * hostPath volumes. minikube's VM drivers share the user's home with the VM at a
 * path derived from the host path: on Windows `C:\Users\me` appears as
 * `/c/Users/me` (the drive letter lowercased, backslashes turned around); on macOS
 * and Linux the path is the same inside the VM. The path must be absolute.
 */
export function toNodePath(hostPath: string, os: OperatingSystem): string {
  if (os === 'windows') {
    const drive = /^([A-Za-z]):[\\/]*(.*)$/.exec(hostPath);
    if (!drive?.[1]) throw new Error(`not an absolute Windows path: ${hostPath}`);
    const rest = (drive[2] ?? '').replace(/\\/g, '/').replace(/\/+$/, '');
    return `/${drive[1].toLowerCase()}${rest ? `/${rest}` : ''}`;
  }
  if (!path.posix.isAbsolute(hostPath)) throw new Error(`not an absolute path: ${hostPath}`);
  return path.posix.normalize(hostPath).replace(/(.)\/+$/, '$1');
}

/** A path under the data root, as the node sees it: joinNodePath('/c/Users/me/qed', 'pv-mongodb'). */
export function joinNodePath(nodeRoot: string, ...segments: string[]): string {
  return path.posix.join(nodeRoot, ...segments.map((s) => s.replace(/\\/g, '/')));
}
