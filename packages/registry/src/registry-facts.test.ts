import { readFileSync } from 'node:fs';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { gatherRegistryFacts, inspectContainer } from './registry-facts.js';
import type { HttpGet } from './registry-health.js';
import { resolveRegistryOptions } from './registry-options.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const inspectArgs = ['container', 'inspect', 'registry'];

describe('inspectContainer', () => {
  it('reads a running registry from a recorded inspect', async () => {
    const runner = new FakeCommandRunner().on('docker', inspectArgs, {
      stdout: fixture('docker-inspect-running.json'),
    });
    expect(await inspectContainer(runner, 'registry')).toEqual({
      exists: true,
      id: expect.stringMatching(/^7f34d8f75a1d/),
      image: 'docker.io/library/registry:2',
      running: true,
      status: 'running',
      hostPort: 5077,
    });
    expect(runner.commandLines).toEqual(['docker container inspect registry']);
  });

  it('reads a stopped one', async () => {
    const runner = new FakeCommandRunner().on('docker', inspectArgs, {
      stdout: fixture('docker-inspect-stopped.json'),
    });
    expect(await inspectContainer(runner, 'registry')).toMatchObject({
      exists: true,
      running: false,
      status: 'exited',
      hostPort: 5077,
    });
  });

  it('takes "no such container" (Docker and podman wording) for absent', async () => {
    const podman = new FakeCommandRunner().on('docker', inspectArgs, {
      exitCode: 1,
      stdout: '[]\n',
      stderr:
        'Error response from daemon: no container with name or ID "registry" found: no such container\n',
    });
    expect(await inspectContainer(podman, 'registry')).toEqual({ exists: false });
    const docker = new FakeCommandRunner().on('docker', inspectArgs, {
      exitCode: 1,
      stderr: 'Error: No such container: registry\n',
    });
    expect(await inspectContainer(docker, 'registry')).toEqual({ exists: false });
  });

  it('explains a Docker that does not answer', async () => {
    const runner = new FakeCommandRunner().on('docker', inspectArgs, {
      exitCode: 1,
      stderr:
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
    });
    await expect(inspectContainer(runner, 'registry')).rejects.toMatchObject({
      code: 'DOCKER_UNAVAILABLE',
      hint: expect.stringContaining('docker info'),
    });
  });
});

describe('gatherRegistryFacts', () => {
  const options = resolveRegistryOptions({});
  const absent = { exitCode: 1, stderr: 'Error: No such container: registry' };
  const answering =
    (status: number, headers: Record<string, string> = {}): HttpGet & { urls: string[] } => {
      const urls: string[] = [];
      const get = async (url: string) => {
        urls.push(url);
        return { status, headers: new Headers(headers), json: async () => ({}) };
      };
      return Object.assign(get, { urls });
    };
  const refused: HttpGet = async () => {
    throw new TypeError('fetch failed');
  };

  it('asks lsof only when the port is taken', async () => {
    const runner = new FakeCommandRunner().on('docker', inspectArgs, absent);
    const facts = await gatherRegistryFacts(options, {
      runner,
      platform: { os: 'linux' },
      probePort: async () => true,
    });
    expect(facts).toEqual({ container: { exists: false }, port: { free: true }, os: 'linux' });
    expect(runner.commandLines).toEqual(['docker container inspect registry']);
  });

  it('names the holder from lsof', async () => {
    const runner = new FakeCommandRunner()
      .on('docker', inspectArgs, absent)
      .on('lsof', ['-nP', '-iTCP:5000', '-sTCP:LISTEN', '-Fpc'], { stdout: 'p512\ncControlCe\nf9\n' });
    const facts = await gatherRegistryFacts(options, {
      runner,
      platform: { os: 'macos' },
      probePort: async () => false,
      fetch: answering(403, { server: 'AirTunes/860.7.1' }),
    });
    expect(facts.port).toEqual({ free: false, holder: { pid: 512, command: 'ControlCe' }, servesRegistry: false });
  });

  it.each([
    [200, { 'Docker-Distribution-Api-Version': 'registry/2.0' }, true],
    [401, { 'Docker-Distribution-Api-Version': 'registry/2.0', 'WWW-Authenticate': 'Basic realm="Registry Realm"' }, true],
    [200, {}, false],
    [404, { 'Docker-Distribution-Api-Version': 'registry/2.0' }, false],
  ])('with no container of that name, asks the held port GET /v2/: %i %j -> a registry: %s', async (status, headers, expected) => {
    const runner = new FakeCommandRunner()
      .on('docker', inspectArgs, absent)
      .on('lsof', undefined, { stdout: 'p4242\ncdocker-registry\n' });
    const get = answering(status, headers);
    const facts = await gatherRegistryFacts(options, { runner, platform: { os: 'linux' }, probePort: async () => false, fetch: get });
    expect(facts.port).toEqual({ free: false, holder: { pid: 4242, command: 'docker-registry' }, servesRegistry: expected });
    expect(get.urls).toEqual(['http://127.0.0.1:5000/v2/']);
  });

  it('does not ask the API when the container of that name exists (it holds the port itself)', async () => {
    const runner = new FakeCommandRunner()
      .on('docker', inspectArgs, { stdout: fixture('docker-inspect-stopped.json') })
      .on('lsof', undefined, { stdout: '' });
    const get = answering(200, { 'Docker-Distribution-Api-Version': 'registry/2.0' });
    const facts = await gatherRegistryFacts(options, { runner, platform: { os: 'linux' }, probePort: async () => false, fetch: get });
    expect(facts.port).toEqual({ free: false, holder: null });
    expect(get.urls).toEqual([]);
  });

  it('works without lsof', async () => {
    const runner = new FakeCommandRunner()
      .on('docker', inspectArgs, absent)
      .on('lsof', undefined, { notInstalled: true });
    const facts = await gatherRegistryFacts(options, {
      runner,
      platform: { os: 'linux' },
      probePort: async () => false,
      fetch: refused,
    });
    expect(facts.port).toEqual({ free: false, holder: null, servesRegistry: false });
  });
});
