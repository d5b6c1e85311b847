import { QedError } from '@qed/core';
import type { EnvironmentCheck } from '@qed/env-check';
import { loadKubeConfig, probeCluster } from '@qed/kube';
import { type BackendDeps, type ClusterAccess, type ClusterBackend, LOCAL_CLUSTER_CHECKS, type UpPlan } from '../cluster-backend.js';

export interface ExistingContextOptions {
  context: string;
  /** How the product that made the context is reached, when detection recognised it. */
  madeBy?: ClusterAccess;
}

/** How long `up` waits for the API server's /version. */
const PROBE_TIMEOUT_MS = 5000;

/**
 * A kube context someone else made (kind, k3d, a remote cluster, or minikube run
 * by hand): `up` only checks that it answers, and nothing here creates, stops or
 * deletes it. Where its nodes pull from and how its Services are reached are the
 * maker's (`madeBy`); without one, nothing is published and Services are
 * port-forwarded.
 */
export function existingContextBackend(deps: BackendDeps, options: ExistingContextOptions): ClusterBackend {
  const { context, madeBy } = options;
  const plan: UpPlan = {
    kind: 'existing-context',
    action: 'check',
    summary: `use the existing context ${context}; no cluster is created`,
    notes: [],
    steps: [`check that the kubeconfig has a context named ${context}`, `GET /version on its API server (it must answer within ${PROBE_TIMEOUT_MS / 1000}s)`],
    needsConsent: false,
    record: { context, action: 'check' },
  };
  const probe = async () => {
    const { api, server } = await deps.cluster();
    return { server, ...(await probeCluster(api, PROBE_TIMEOUT_MS)) };
  };

  return {
    kind: 'existing-context',
    kubeContext: context,
    description: `the existing context ${context}${madeBy ? ` (made by ${madeBy.product})` : ''}`,
    doctorHint: null,
    doctorChecks: (all: readonly EnvironmentCheck[]) => all.filter((check) => !LOCAL_CLUSTER_CHECKS.has(check.id)),
    planUp: async () => plan,
    async applyUp(up) {
      if (up !== plan) throw new Error(`the existing-context backend was given a plan it did not make (${up.kind}): a bug in the caller`);
      // Checked first, so a typo is CLUSTER_NO_CONTEXT with the known contexts, not a connection error.
      await loadKubeConfig({ context });
      const found = await probe();
      if (!found.reachable) {
        throw new QedError('CLUSTER_UNREACHABLE', `context ${context}: the API server at ${found.server} does not answer: ${found.reason}`, {
          hint: `Start that cluster, or check it with \`kubectl --context ${context} get nodes\`; then run \`npx qed-bootstrap --target context:${context}\` again.`,
        });
      }
      return {
        action: 'check',
        detail: `context ${context}: Kubernetes ${found.version} answers at ${found.server}`,
        context,
        record: { context, server: found.server, version: found.version },
      };
    },
    async status() {
      const found = await probe();
      return {
        running: found.reachable,
        summary: found.reachable ? `${context}: Kubernetes ${found.version} answers at ${found.server}` : `${context}: the API server at ${found.server} does not answer: ${found.reason}`,
        record: { context, ...found },
      };
    },
    stop: async () => {
      throw notOurs(context, 'stop');
    },
    delete: async () => {
      throw notOurs(context, 'delete');
    },
    registryHosting: async (registryHost) =>
      madeBy
        ? madeBy.registryHosting(registryHost)
        : {
            hosting: null,
            reason: `qed-bootstrap knows how a minikube node reaches this machine, and context ${context} was not made by minikube: the cluster reaches its registry its own way`,
          },
    serviceAccess: (service) => madeBy?.serviceAccess(service) ?? null,
  };
}

function notOurs(context: string, what: 'stop' | 'delete'): QedError {
  return new QedError('CLUSTER_NOT_OURS', `qed-bootstrap does not ${what} context ${context}: it never ${what}s a cluster it did not create`, {
    hint: `Use the tool that made it (minikube, kind, k3d, …) to ${what} it; \`qed-bootstrap down\` removes only what qed-bootstrap deployed there.`,
    data: { context },
  });
}
