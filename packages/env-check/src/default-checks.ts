import type { EnvironmentCheck } from './check-types.js';
import { cpuCheck } from './checks/cpu-check.js';
import { diskCheck } from './checks/disk-check.js';
import { dockerCheck } from './checks/docker-check.js';
import { goCheck } from './checks/go-check.js';
import { hypervCheck } from './checks/hyperv-check.js';
import { komposeCheck } from './checks/kompose-check.js';
import { kvm2Check } from './checks/kvm2-check.js';
import { kubectlCheck } from './checks/kubectl-check.js';
import { memoryCheck } from './checks/memory-check.js';
import { minikubeCheck } from './checks/minikube-check.js';
import { parallelsCheck } from './checks/parallels-check.js';
import { podmanCheck } from './checks/podman-check.js';
import { qemu2Check } from './checks/qemu2-check.js';
import { registryPortCheck } from './checks/registry-port-check.js';
import { virtualboxCheck } from './checks/virtualbox-check.js';
import { vfkitCheck } from './checks/vfkit-check.js';
import { virtualizationCheck } from './checks/virtualization-check.js';
import { vmwareCheck } from './checks/vmware-check.js';

/**
 * In the order of the guide's Requirements section, with the other minikube
 * drivers after the guide's two hypervisors, then the machine's resources and
 * the registry's port. Driver checks for another OS are declared so and left out
 * by runDoctor (vfkit and parallels on macOS, kvm2 on Linux).
 */
export const defaultChecks: readonly EnvironmentCheck[] = [
  dockerCheck,
  kubectlCheck,
  goCheck,
  minikubeCheck,
  virtualboxCheck,
  hypervCheck,
  kvm2Check,
  qemu2Check,
  vfkitCheck,
  podmanCheck,
  parallelsCheck,
  vmwareCheck,
  virtualizationCheck,
  komposeCheck,
  cpuCheck,
  memoryCheck,
  diskCheck,
  registryPortCheck,
];
