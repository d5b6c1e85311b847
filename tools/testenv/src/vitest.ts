import { describe, inject, it } from 'vitest';
import type { MinikubeLaneConnection } from './minikube-lane/minikube-lane.js';
import type { TestenvConnection } from './testenv.js';
// Type-only: the ProvidedContext declarations, without loading the setups (and the runner) into every test worker.
import type {} from './minikube-global-setup.js';
import type {} from './vitest-global-setup.js';

/**
 * Declares an integration suite that runs against the real test environment.
 * Where the environment could not be provided (and only outside CI, where the
 * global setup fails instead), the suite is skipped and says why in its name.
 */
export function describeOnTestenv(name: string, body: (connection: TestenvConnection) => void): void {
  const testenv = inject('testenv');
  if (testenv.available) {
    describe(name, () => body(testenv.connection));
  } else {
    describe.skip(`${name} [skipped: no test environment: ${testenv.reason}]`, () => {
      it('needs the real test environment', () => undefined);
    });
  }
}

/**
 * Declares a suite that runs on the real minikube lane (a none-driver cluster whose
 * kubelet runs real containers) and the kwok lane's engine (podman, for builds).
 * Outside CI, on a machine that cannot host the lane, it is skipped and says why.
 */
export function describeOnMinikubeLane(
  name: string,
  body: (lane: MinikubeLaneConnection, testenv: TestenvConnection) => void,
): void {
  const lane = inject('minikubeLane');
  const testenv = inject('testenv');
  if (lane.available && testenv.available) {
    describe(name, () => body(lane.connection, testenv.connection));
  } else {
    const reason = lane.available ? `no test environment: ${testenv.available ? '' : testenv.reason}` : `no minikube lane: ${lane.reason}`;
    describe.skip(`${name} [skipped: ${reason}]`, () => {
      it('needs the real minikube lane', () => undefined);
    });
  }
}

/**
 * The `cluster:` section of a qed.config.yaml that targets the lane's cluster as it
 * was made (profile, driver none with containerd, its Kubernetes version and its
 * extra config, which this machine's cgroup v1 needs): recreating it is refused.
 */
export function laneClusterConfig(lane: MinikubeLaneConnection): string[] {
  return [
    'cluster:',
    `  profile: ${lane.QED_TEST_MINIKUBE_PROFILE}`,
    '  driver: none',
    '  containerRuntime: containerd',
    `  kubernetesVersion: ${lane.QED_TEST_MINIKUBE_KUBERNETES_VERSION}`,
    `  extraConfig: [${lane.QED_TEST_MINIKUBE_EXTRA_CONFIG}]`,
  ];
}
