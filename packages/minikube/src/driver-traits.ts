/**
 * What a minikube driver means for the node. Drivers with no VM: `none` runs
 * Kubernetes on this machine itself; `docker` and `podman` run the node as a
 * container on this machine's engine. The others boot a VM.
 */
const NO_VM_DRIVERS: ReadonlySet<string> = new Set(['none', 'docker', 'podman']);

/** True when the driver makes no VM: there is no VM size (CPUs, memory, disk) to compare or change. */
export function hasNoVm(driver: string): boolean {
  return NO_VM_DRIVERS.has(driver);
}

/**
 * True when the node is this machine itself (`none`): host folders are already
 * on the node, and 127.0.0.1 inside the node is this machine's loopback.
 */
export function nodeIsHost(driver: string): boolean {
  return driver === 'none';
}
