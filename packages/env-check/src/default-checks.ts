import type { EnvironmentCheck } from './check-types.js';
import { cpuCheck } from './checks/cpu-check.js';
import { diskCheck } from './checks/disk-check.js';
import { dockerCheck } from './checks/docker-check.js';
import { goCheck } from './checks/go-check.js';
import { hypervCheck } from './checks/hyperv-check.js';
import { komposeCheck } from './checks/kompose-check.js';
import { kubectlCheck } from './checks/kubectl-check.js';
import { memoryCheck } from './checks/memory-check.js';
import { minikubeCheck } from './checks/minikube-check.js';
import { registryPortCheck } from './checks/registry-port-check.js';
import { virtualboxCheck } from './checks/virtualbox-check.js';
import { virtualizationCheck } from './checks/virtualization-check.js';

/** In the order of the guide's Requirements section, then the machine's resources and the registry's port. */
export const defaultChecks: readonly EnvironmentCheck[] = [
  dockerCheck,
  kubectlCheck,
  goCheck,
  minikubeCheck,
  virtualboxCheck,
  hypervCheck,
  virtualizationCheck,
  komposeCheck,
  cpuCheck,
  memoryCheck,
  diskCheck,
  registryPortCheck,
];
