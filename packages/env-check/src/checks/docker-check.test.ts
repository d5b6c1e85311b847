import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import {
  DOCKER_19_RUNNING,
  DOCKER_CLIENT_TOO_NEW,
  DOCKER_ERROR_DURING_CONNECT,
  DOCKER_NO_ENGINE,
  DOCKER_NO_ENGINE_TCP,
  DOCKER_PERMISSION_DENIED,
  DOCKER_RUNNING,
} from '../__fixtures__/docker-outputs.js';
import { testContext } from '../__fixtures__/test-context.js';
import { dockerCheck } from './docker-check.js';

const VERSION = ['version', '--format', '{{json .}}'];

describe('dockerCheck', () => {
  it('is ok with a reachable engine, naming client, engine and context', async () => {
    const runner = new FakeCommandRunner().on('docker', VERSION, DOCKER_RUNNING);
    const result = await dockerCheck.run(testContext({ runner }));
    expect(result).toEqual({
      id: 'docker',
      title: 'Docker engine',
      status: 'ok',
      version: '28.0.4',
      required: 'the docker CLI and a running engine',
      detail: 'client 28.0.4, engine 28.0.4 (Docker Engine - Community) via context default',
      hint: null,
    });
    // The context comes from the JSON: one process, not two.
    expect(runner.commandLines).toEqual(['docker version --format {{json .}}']);
    expect(runner.calls[0]?.timeoutMs).toBe(10_000);
  });

  it('asks `docker context show` only when the client is too old to name its context', async () => {
    const runner = new FakeCommandRunner()
      .on('docker', VERSION, DOCKER_19_RUNNING)
      .on('docker', ['context', 'show'], { stdout: 'desktop-linux\n' });
    const result = await dockerCheck.run(testContext({ runner, os: 'macos' }));
    expect(result.status).toBe('ok');
    expect(result.detail).toBe(
      'client 19.03.8, engine 19.03.8 (Docker Engine - Community) via context desktop-linux',
    );
    expect(runner.commandLines).toEqual(['docker version --format {{json .}}', 'docker context show']);
  });

  it.each([
    ['linux', 'sudo systemctl start docker'],
    ['macos', 'open -a Docker'],
    ['windows', 'Start Docker Desktop'],
    ['wsl', 'WSL integration'],
  ] as const)('fails when the engine is unreachable, with the %s way to start it', async (os, fix) => {
    const runner = new FakeCommandRunner().on('docker', VERSION, DOCKER_NO_ENGINE);
    const result = await dockerCheck.run(testContext({ runner, os }));
    expect(result.status).toBe('fail');
    expect(result.version).toBe('28.2.2');
    expect(result.detail).toBe(
      'client 28.2.2; the engine is not reachable via context default: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    );
    expect(result.hint).toContain(fix);
  });

  it('shows DOCKER_HOST from the user environment, runs docker with it, and points the fix at it', async () => {
    const runner = new FakeCommandRunner().on('docker', VERSION, DOCKER_NO_ENGINE_TCP);
    const result = await dockerCheck.run(
      testContext({ runner, env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' } }),
    );
    expect(result.status).toBe('fail');
    expect(result.detail).toBe(
      'client 28.2.2; the engine is not reachable via DOCKER_HOST=tcp://127.0.0.1:2375: Cannot connect to the Docker daemon at tcp://127.0.0.1:2375. Is the docker daemon running?',
    );
    expect(result.hint).toBe(
      'DOCKER_HOST is set to tcp://127.0.0.1:2375: start the engine there, or unset DOCKER_HOST to use your docker context (docker context ls).',
    );
    expect(runner.calls[0]?.env).toEqual({ DOCKER_HOST: 'tcp://127.0.0.1:2375', DOCKER_CONTEXT: undefined });
  });

  it('removes a DOCKER_HOST the runner may have inherited when the user environment has none', async () => {
    const runner = new FakeCommandRunner().on('docker', VERSION, DOCKER_RUNNING);
    await dockerCheck.run(testContext({ runner, env: { DOCKER_HOST: '' } }));
    expect(runner.calls[0]?.env).toEqual({ DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined });
  });

  it('reports "error during connect" on one line', async () => {
    const runner = new FakeCommandRunner().on('docker', VERSION, DOCKER_ERROR_DURING_CONNECT);
    const result = await dockerCheck.run(
      testContext({ runner, env: { DOCKER_HOST: 'ssh://nobody@127.0.0.1' } }),
    );
    expect(result.status).toBe('fail');
    expect(result.detail).toMatch(
      /^client 28\.2\.2; the engine is not reachable via DOCKER_HOST=ssh:\/\/nobody@127\.0\.0\.1: error during connect: .*Connection refused$/,
    );
    expect(result.detail).not.toContain('\n');
  });

  it('tells a user outside the docker group how to join it', async () => {
    const runner = new FakeCommandRunner().on('docker', VERSION, DOCKER_PERMISSION_DENIED);
    const result = await dockerCheck.run(testContext({ runner }));
    expect(result.status).toBe('fail');
    expect(result.hint).toContain('sudo usermod -aG docker "$USER"');
  });

  it('tells a client too new for the engine to upgrade the engine', async () => {
    const runner = new FakeCommandRunner().on('docker', VERSION, DOCKER_CLIENT_TOO_NEW);
    const result = await dockerCheck.run(testContext({ runner }));
    expect(result.status).toBe('fail');
    expect(result.hint).toContain('DOCKER_API_VERSION');
  });

  it.each([
    ['macos', 'brew install --cask docker'],
    ['windows', 'winget install Docker.DockerDesktop'],
    ['linux', 'https://docs.docker.com/engine/install/'],
  ] as const)('fails without the CLI, with the %s install command', async (os, install) => {
    const runner = new FakeCommandRunner().on('docker', undefined, { notInstalled: true });
    const result = await dockerCheck.run(testContext({ runner, os }));
    expect(result).toMatchObject({
      status: 'fail',
      version: null,
      detail: 'the docker CLI is not installed (not on PATH)',
    });
    expect(result.hint).toContain(install);
  });

  it('fails on output it cannot read', async () => {
    const runner = new FakeCommandRunner().on('docker', VERSION, {
      stdout: 'Docker version 1.13.1\n',
      exitCode: 0,
    });
    const result = await dockerCheck.run(testContext({ runner }));
    expect(result.status).toBe('fail');
    expect(result.detail).toBe(
      'could not read the output of docker version --format {{json .}}: Docker version 1.13.1',
    );
  });
});
