import { describe, expect, it } from 'vitest';
import { type HttpGet, listRepositories, waitRegistryHealthy } from './registry-health.js';

const answering = (statuses: number[], body: unknown = {}): { get: HttpGet; urls: string[] } => {
  const urls: string[] = [];
  const get: HttpGet = async (url) => {
    urls.push(url);
    const status = statuses.shift();
    if (status === undefined || status === 0) throw new TypeError('fetch failed');
    return { status, json: async () => body };
  };
  return { get, urls };
};

describe('waitRegistryHealthy', () => {
  it('polls /v2/ until it answers 200', async () => {
    const { get, urls } = answering([0, 503, 200]);
    await waitRegistryHealthy('127.0.0.1:5000', {}, { fetch: get, sleep: async () => undefined });
    expect(urls).toEqual(Array(3).fill('http://127.0.0.1:5000/v2/'));
  });

  it('gives up after the timeout with a clear error', async () => {
    let clock = 0;
    const { get } = answering(Array(100).fill(0));
    await expect(
      waitRegistryHealthy(
        '127.0.0.1:5000',
        { timeoutMs: 1_000, name: 'reg' },
        {
          fetch: get,
          now: () => clock,
          sleep: async (ms) => {
            clock += ms;
          },
        },
      ),
    ).rejects.toMatchObject({ code: 'REGISTRY_UNHEALTHY', hint: expect.stringContaining('docker logs reg') });
  });
});

describe('listRepositories', () => {
  it('reads the catalog', async () => {
    const { get, urls } = answering([200], { repositories: ['qed/django', 'qed/nginx'] });
    expect(await listRepositories('127.0.0.1:5001', { fetch: get })).toEqual(['qed/django', 'qed/nginx']);
    expect(urls).toEqual(['http://127.0.0.1:5001/v2/_catalog']);
  });

  it('explains an unreachable registry', async () => {
    await expect(listRepositories('127.0.0.1:5001', { fetch: answering([0]).get })).rejects.toMatchObject({
      code: 'REGISTRY_UNREACHABLE',
    });
  });
});
