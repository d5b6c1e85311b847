import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { registryDown, registryUp } from './registry-commands.js';
import type { HttpGet } from './registry-health.js';

const absent = { exitCode: 1, stderr: 'Error: No such container: registry\n' };
const lsof = ['-nP', '-iTCP:5000', '-sTCP:LISTEN', '-Fpc'];

/** A port held by a plain `docker-registry serve` process (no container of that name). */
function world(answer: { status: number; headers?: Record<string, string> }) {
  const runner = new FakeCommandRunner()
    .on('docker', ['container', 'inspect', 'registry'], absent)
    .on('lsof', lsof, { stdout: 'p4242\ncdocker-registry\n' });
  const urls: string[] = [];
  const fetch: HttpGet = async (url) => {
    urls.push(url);
    return { status: answer.status, headers: new Headers(answer.headers ?? {}), json: async () => ({}) };
  };
  return { runner, urls, deps: { runner, platform: { os: 'linux' as const }, probePort: async () => false, fetch } };
}

const REGISTRY_API = { 'Docker-Distribution-Api-Version': 'registry/2.0' };

describe('registry up and down next to a registry qed-bootstrap did not start', () => {
  it('up uses it as it is: no docker run, the holder named', async () => {
    const { runner, urls, deps } = world({ status: 200, headers: REGISTRY_API });
    const result = await registryUp({}, deps);
    expect(result).toMatchObject({ action: 'reuse', containerId: null, host: '127.0.0.1:5000' });
    expect(result.reason).toContain('held by docker-registry (pid 4242)');
    expect(runner.commandLines).toEqual(['docker container inspect registry', `lsof ${lsof.join(' ')}`]);
    expect(urls).toEqual(['http://127.0.0.1:5000/v2/']);
  });

  it('up still refuses a port held by something that is not a registry', async () => {
    const { runner, deps } = world({ status: 200 });
    await expect(registryUp({}, deps)).rejects.toMatchObject({
      code: 'REGISTRY_PORT_IN_USE',
      message: 'port 5000 on 127.0.0.1 is already in use by docker-registry (pid 4242)',
    });
    expect(runner.commandLines.some((c) => c.startsWith('docker run'))).toBe(false);
  });

  it('down --purge never stops it, and says whose it is', async () => {
    const { runner, deps } = world({ status: 401, headers: REGISTRY_API });
    const result = await registryDown({ purge: true }, deps);
    expect(result).toMatchObject({ removed: false, volumeRemoved: false });
    expect(result.reason).toMatch(/^no container named registry; 127\.0\.0\.1:5000 is served by a registry that qed-bootstrap did not start \(held by docker-registry \(pid 4242\)\): it is left running/);
    expect(runner.commandLines).toEqual(['docker container inspect registry', `lsof ${lsof.join(' ')}`]);
  });
});
