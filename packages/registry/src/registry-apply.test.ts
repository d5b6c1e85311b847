import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { applyRegistryDown, applyRegistryUp } from './registry-apply.js';
import type { HttpGet } from './registry-health.js';
import { planRegistryUp } from './registry-plan.js';
import { resolveRegistryOptions } from './registry-options.js';

const healthy: HttpGet = async () => ({ status: 200, json: async () => ({}) });
const runPlan = planRegistryUp(
  { container: { exists: false }, port: { free: true }, os: 'linux' },
  resolveRegistryOptions({}),
);

describe('applyRegistryUp', () => {
  it('runs the planned argv and returns the new id once healthy', async () => {
    const runner = new FakeCommandRunner().on('docker', undefined, { stdout: 'f00d\n' });
    const result = await applyRegistryUp(runPlan, { runner, fetch: healthy });
    expect(result).toEqual({ action: 'run', name: 'registry', containerId: 'f00d', host: '127.0.0.1:5000' });
    expect(runner.commandLines).toEqual([
      'docker run --detach --publish 127.0.0.1:5000:5000 --restart=always --volume registry-data:/var/lib/registry --name registry registry:2',
    ]);
  });

  it('turns a port lost to a race into the port error', async () => {
    const runner = new FakeCommandRunner().on('docker', undefined, {
      exitCode: 126,
      stderr: 'Error: rootlessport listen tcp 127.0.0.1:5000: bind: address already in use\n',
    });
    await expect(applyRegistryUp(runPlan, { runner, fetch: healthy })).rejects.toMatchObject({
      code: 'REGISTRY_PORT_IN_USE',
    });
  });

  it('reuses a registry it did not start without running or waiting for anything', async () => {
    const runner = new FakeCommandRunner();
    const fetch: HttpGet = async () => {
      throw new Error('not asked again');
    };
    const result = await applyRegistryUp(
      { action: 'reuse', name: 'registry', host: '127.0.0.1:5000', holder: { pid: 1, command: 'registry' }, reason: 'theirs' },
      { runner, fetch },
    );
    expect(result).toEqual({ action: 'reuse', name: 'registry', containerId: null, host: '127.0.0.1:5000', reason: 'theirs' });
    expect(runner.calls).toEqual([]);
  });

  it('runs nothing for a running registry but still checks it answers', async () => {
    const runner = new FakeCommandRunner();
    const unhealthy: HttpGet = async () => ({ status: 502, json: async () => ({}) });
    let clock = 0;
    await expect(
      applyRegistryUp(
        { action: 'none', name: 'registry', host: '127.0.0.1:5000', containerId: 'x', reason: '' },
        {
          runner,
          fetch: unhealthy,
          healthTimeoutMs: 10,
          now: () => clock,
          sleep: async (ms) => {
            clock += ms;
          },
        },
      ),
    ).rejects.toMatchObject({ code: 'REGISTRY_UNHEALTHY' });
    expect(runner.calls).toEqual([]);
  });
});

describe('applyRegistryDown', () => {
  it('runs nothing when there is nothing of its own to remove, and says why', async () => {
    const runner = new FakeCommandRunner();
    expect(await applyRegistryDown({ action: 'none', name: 'registry', reason: 'no container named registry' }, { runner })).toEqual({
      removed: false,
      volumeRemoved: false,
      reason: 'no container named registry',
    });
    expect(runner.calls).toEqual([]);
  });

  it('removes the container, then the volume when purging', async () => {
    const runner = new FakeCommandRunner().on('docker', undefined, {});
    const result = await applyRegistryDown(
      {
        action: 'remove',
        name: 'registry',
        containerId: 'x',
        docker: ['rm', '--force', 'registry'],
        volume: 'registry-data',
      },
      { runner },
    );
    expect(result).toEqual({ removed: true, volumeRemoved: true });
    expect(runner.commandLines).toEqual(['docker rm --force registry', 'docker volume rm registry-data']);
  });
});
