import { fileURLToPath } from 'node:url';
import { defaultChecks } from '@qed/env-check';
import type { ClusterConnection, KubeApi, KubeRequest } from '@qed/kube';
import { FakeCommandRunner } from '@qed/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackendDeps, ClusterAccess } from '../cluster-backend.js';
import { existingContextBackend } from './existing-context.js';

const KIND = fileURLToPath(new URL('../__fixtures__/kind-kubeconfig.yaml', import.meta.url));

/** An API server that answers /version, or fails as a connection does. */
function apiServer(answer: { gitVersion: string } | Error): KubeApi & { requests: KubeRequest[] } {
  const requests: KubeRequest[] = [];
  return {
    requests,
    async request<T>(request: KubeRequest): Promise<T> {
      requests.push(request);
      if (answer instanceof Error) throw answer;
      return answer as T;
    },
  };
}

function deps(api: KubeApi): BackendDeps {
  const connection: ClusterConnection = { api, context: 'kind-kind', server: 'https://127.0.0.1:40123', contextNamespace: undefined };
  return {
    runner: new FakeCommandRunner(),
    platform: () => Promise.reject(new Error('not read by this backend')),
    doctor: () => Promise.reject(new Error('not read by this backend')),
    cluster: async () => connection,
  };
}

describe('the existing-context backend', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('plans a check only: the context must exist and its API server answer', async () => {
    const backend = existingContextBackend(deps(apiServer({ gitVersion: 'v1.35.0' })), { context: 'kind-kind' });
    expect(await backend.planUp()).toEqual({
      kind: 'existing-context',
      action: 'check',
      summary: 'use the existing context kind-kind; no cluster is created',
      notes: [],
      steps: ['check that the kubeconfig has a context named kind-kind', 'GET /version on its API server (it must answer within 5s)'],
      needsConsent: false,
      record: { context: 'kind-kind', action: 'check' },
    });
  });

  it('up checks the context and asks the API server its version, changing nothing', async () => {
    vi.stubEnv('KUBECONFIG', KIND);
    const api = apiServer({ gitVersion: 'v1.35.0' });
    const backend = existingContextBackend(deps(api), { context: 'kind-kind' });
    const result = await backend.applyUp(await backend.planUp(), { consent: true });
    expect(result).toEqual({
      action: 'check',
      detail: 'context kind-kind: Kubernetes v1.35.0 answers at https://127.0.0.1:40123',
      context: 'kind-kind',
      record: { context: 'kind-kind', server: 'https://127.0.0.1:40123', version: 'v1.35.0' },
    });
    expect(api.requests).toEqual([{ method: 'GET', path: '/version', timeoutMs: 5000 }]);
  });

  it('a context the kubeconfig does not have is named with the ones it has; a silent API server says how to check it', async () => {
    vi.stubEnv('KUBECONFIG', KIND);
    const typo = existingContextBackend(deps(apiServer({ gitVersion: 'v1.35.0' })), { context: 'kind-knid' });
    await expect(typo.applyUp(await typo.planUp(), { consent: false })).rejects.toMatchObject({ code: 'CLUSTER_NO_CONTEXT', hint: 'Known contexts: kind-kind.' });

    const down = existingContextBackend(deps(apiServer(new Error('connect ECONNREFUSED 127.0.0.1:40123'))), { context: 'kind-kind' });
    await expect(down.applyUp(await down.planUp(), { consent: false })).rejects.toMatchObject({
      code: 'CLUSTER_UNREACHABLE',
      message: 'context kind-kind: the API server at https://127.0.0.1:40123 does not answer: connect ECONNREFUSED 127.0.0.1:40123',
      hint: expect.stringContaining('kubectl --context kind-kind get nodes'),
    });
    expect(await down.status()).toMatchObject({ running: false, summary: 'kind-kind: the API server at https://127.0.0.1:40123 does not answer: connect ECONNREFUSED 127.0.0.1:40123' });
  });

  it('never stops or deletes a cluster it did not create', async () => {
    const backend = existingContextBackend(deps(apiServer({ gitVersion: 'v1.35.0' })), { context: 'kind-kind' });
    await expect(backend.stop()).rejects.toMatchObject({ code: 'CLUSTER_NOT_OURS', message: 'qed-bootstrap does not stop context kind-kind: it never stops a cluster it did not create' });
    await expect(backend.delete({ consent: true })).rejects.toMatchObject({ code: 'CLUSTER_NOT_OURS', message: expect.stringContaining('it never deletes a cluster it did not create') });
  });

  it('needs none of the checks for making a cluster on this machine', () => {
    const backend = existingContextBackend(deps(apiServer({ gitVersion: 'v1.35.0' })), { context: 'kind-kind' });
    expect(backend.doctorChecks(defaultChecks).map((c) => c.id)).toEqual(['docker', 'kubectl', 'go', 'kompose', 'registry-port']);
    expect(backend.doctorHint).toBeNull();
  });

  it('publishes nothing and port-forwards, unless the product that made the context is known', async () => {
    const plain = existingContextBackend(deps(apiServer({ gitVersion: 'v1.35.0' })), { context: 'kind-kind' });
    expect(await plain.registryHosting('127.0.0.1:5000')).toEqual({
      hosting: null,
      reason: 'qed-bootstrap knows how a minikube node reaches this machine, and context kind-kind was not made by minikube: the cluster reaches its registry its own way',
    });
    expect(plain.serviceAccess({ namespace: 'qed', name: 'web', type: 'NodePort' })).toBeNull();

    const madeBy: ClusterAccess = {
      product: 'example',
      registryHosting: async () => ({ hosting: { hostFromContainerRuntime: 'registry.example:5000' } }),
      serviceAccess: ({ name }) => [`example open ${name}`],
    };
    const known = existingContextBackend(deps(apiServer({ gitVersion: 'v1.35.0' })), { context: 'kind-kind', madeBy });
    expect(known.description).toBe('the existing context kind-kind (made by example)');
    expect(await known.registryHosting('127.0.0.1:5000')).toEqual({ hosting: { hostFromContainerRuntime: 'registry.example:5000' } });
    expect(known.serviceAccess({ namespace: 'qed', name: 'web', type: 'NodePort' })).toEqual(['example open web']);
  });
});
