import { Discovery, type KubeApi, type KubeRequest } from '@qed/kube';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import { waitReady } from './wait-ready.js';

/**
 * An in-memory API server answering the reads the wait makes: discovery, the
 * Deployment (never available), its pods (with the waiting reason and message a
 * kubelet reports, as the real lane recorded them) and no events.
 */
function apiWithPod(waiting: { reason: string; message: string }): KubeApi {
  const resources: Record<string, Array<{ name: string; kind: string; namespaced: boolean }>> = {
    '/apis/apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
    '/api/v1': [{ name: 'pods', kind: 'Pod', namespaced: true }],
  };
  return {
    async request<T>(request: KubeRequest): Promise<T> {
      const found = resources[request.path];
      if (found) return { resources: found } as T;
      if (request.path === '/apis/apps/v1/namespaces/qed/deployments/redis') {
        return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'redis', namespace: 'qed', generation: 1 }, spec: { replicas: 1, selector: { matchLabels: { app: 'redis' } } }, status: { observedGeneration: 1, replicas: 1, unavailableReplicas: 1 } } as T;
      }
      if (request.path === '/api/v1/namespaces/qed/pods') {
        return { items: [{ metadata: { name: 'redis-1' }, spec: { containers: [{ name: 'redis', image: '127.0.0.1:5050/qed/redis:c-1' }] }, status: { containerStatuses: [{ name: 'redis', ready: false, state: { waiting } }] } }] } as T;
      }
      if (request.path === '/api/v1/namespaces/qed/events') return { items: [] } as T;
      throw new Error(`unexpected request ${request.path}`);
    },
  };
}

const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'redis', namespace: 'qed' }, spec: { selector: { matchLabels: { app: 'redis' } } } } as KubeObject;

/** A clock that moves only when the wait sleeps: the outcome depends on counts, not on this machine's speed. */
function fakeClock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    elapsed: () => t,
  };
}

describe('waitReady ending early on pulls the registry refused', () => {
  it('an image the registry does not have: ends after two diagnoses, not at the timeout', async () => {
    const api = apiWithPod({
      reason: 'ErrImagePull',
      message: 'failed to pull and unpack image "127.0.0.1:5050/qed/redis:c-1": failed to resolve reference "127.0.0.1:5050/qed/redis:c-1": 127.0.0.1:5050/qed/redis:c-1: not found',
    });
    const clock = fakeClock();
    const result = await waitReady(api, new Discovery(api), [deployment], 'qed', { timeoutMs: 300_000, now: clock.now, sleep: clock.sleep });
    expect(result.notReady).toEqual([expect.objectContaining({ reason: 'ImagePull', message: expect.stringContaining('not found') })]);
    expect(clock.elapsed()).toBeLessThanOrEqual(15_000);
  });

  it('a registry that is briefly away (connection refused) is waited for until the timeout', async () => {
    const api = apiWithPod({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "127.0.0.1:5050/qed/redis:c-1": dial tcp 127.0.0.1:5050: connect: connection refused' });
    const clock = fakeClock();
    const result = await waitReady(api, new Discovery(api), [deployment], 'qed', { timeoutMs: 60_000, now: clock.now, sleep: clock.sleep });
    expect(result.notReady).toEqual([expect.objectContaining({ reason: 'ImagePull' })]);
    expect(clock.elapsed()).toBe(60_000);
  });
});

describe('waitReady on a container that keeps crashing', () => {
  const crashing = { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=redis pod=redis-1' };

  it('is waited for until the timeout by default: a service may crash while a dependency starts', async () => {
    const clock = fakeClock();
    const api = apiWithPod(crashing);
    const result = await waitReady(api, new Discovery(api), [deployment], 'qed', { timeoutMs: 60_000, now: clock.now, sleep: clock.sleep });
    expect(result.notReady).toEqual([expect.objectContaining({ reason: 'CrashLoop' })]);
    expect(clock.elapsed()).toBe(60_000);
  });

  it('ends the wait after two diagnoses with crashLoopEndsWait (the dev loop)', async () => {
    const clock = fakeClock();
    const api = apiWithPod(crashing);
    const result = await waitReady(api, new Discovery(api), [deployment], 'qed', { timeoutMs: 300_000, now: clock.now, sleep: clock.sleep, crashLoopEndsWait: true });
    expect(result.notReady).toEqual([expect.objectContaining({ reason: 'CrashLoop', message: expect.stringContaining('keeps crashing') })]);
    expect(clock.elapsed()).toBeLessThanOrEqual(15_000);
  });
});
