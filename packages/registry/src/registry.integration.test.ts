import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isQedError, ProcessRunner } from '@qed/core';
import { connectCluster } from '@qed/kube';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  LOCAL_REGISTRY_HOSTING_HELP,
  LOCAL_REGISTRY_HOSTING_KEY,
  publishLocalRegistryHosting,
} from './local-registry-hosting.js';
import { canBind } from './registry-facts.js';
import { registryDown, registryStatus, registryUp } from './registry-commands.js';

/** A port in 5000-5099 (the engine's plain-HTTP range) that nothing holds now. */
async function freeRegistryPort(taken: ReadonlySet<number>): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = 5000 + ((process.pid + i * 7) % 100);
    if (!taken.has(port) && (await canBind('127.0.0.1', port))) return port;
  }
  throw new Error('no free port in 5000-5099');
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describeOnTestenv('registry up/status/down against the real engine', (connection) => {
  const runner = new ProcessRunner({ env: { ...process.env, DOCKER_HOST: connection.DOCKER_HOST } });
  const docker = (...args: string[]) => runner.run({ command: 'docker', args, timeoutMs: 180_000 });
  const deps = { runner, platform: { os: 'linux' as const }, healthTimeoutMs: 30_000 };
  const name = `qed-registry-it-${process.pid}`;
  const clash = `qed-registry-clash-${process.pid}`;
  const other = `qed-registry-other-${process.pid}`;
  const plainImage = `qed-registry-it-plain:${process.pid}`;
  const context = mkdtempSync(path.join(os.tmpdir(), 'qed-registry-it-'));
  const testRegistryPort = Number(connection.QED_TEST_REGISTRY.split(':').pop());
  let port = 0;

  beforeAll(async () => {
    port = await freeRegistryPort(new Set([testRegistryPort]));
    writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
    writeFileSync(path.join(context, 'hello.txt'), `hello from ${process.pid}\n`);
  });

  afterAll(async () => {
    await docker('rm', '-f', name, clash, other);
    await docker('volume', 'rm', '-f', `${name}-data`, `${other}-data`);
    await docker('rmi', '-f', plainImage, `127.0.0.1:${port}/qed-it/hello:v1`);
    rmSync(context, { recursive: true, force: true });
  });

  it('creates a healthy registry with restart=always and a named volume', async () => {
    const result = await registryUp({ name, port }, deps);
    expect(result).toMatchObject({ action: 'run', name, host: `127.0.0.1:${port}` });
    expect((await fetch(`http://127.0.0.1:${port}/v2/`)).status).toBe(200);
    const inspect = await docker(
      'inspect',
      '--format',
      '{{.Id}} {{.HostConfig.RestartPolicy.Name}} {{range .Mounts}}{{.Name}}:{{.Destination}}{{end}}',
      name,
    );
    expect(inspect.stdout.trim()).toBe(`${result.containerId} always ${name}-data:/var/lib/registry`);
  });

  it('reuses the running container on a second up', async () => {
    const first = await registryStatus({ name, port }, deps);
    const second = await registryUp({ name, port }, deps);
    expect(second.action).toBe('none');
    expect(second.containerId).toBe(first.containerId);
  });

  it('starts a stopped registry (same container)', async () => {
    const before = await registryStatus({ name, port }, deps);
    expect((await docker('stop', '-t', '1', name)).exitCode).toBe(0);
    expect((await registryStatus({ name, port }, deps)).state).toBe('stopped');
    const result = await registryUp({ name, port }, deps);
    expect(result).toMatchObject({ action: 'start', containerId: before.containerId });
    expect((await registryStatus({ name, port }, deps)).healthy).toBe(true);
  });

  it('keeps pushed images pullable by digest, and status lists them', async () => {
    const tag = `127.0.0.1:${port}/qed-it/hello:v1`;
    const build = await docker('build', '-t', tag, context);
    expect(build.exitCode, build.stderr).toBe(0);
    const push = await docker('push', tag);
    expect(push.exitCode, push.stderr).toBe(0);
    const manifest = await fetch(`http://127.0.0.1:${port}/v2/qed-it/hello/manifests/v1`, {
      method: 'HEAD',
      headers: {
        accept:
          'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    const digest = manifest.headers.get('docker-content-digest') ?? '';
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await docker('rmi', tag)).exitCode).toBe(0);
    const pull = await docker('pull', `127.0.0.1:${port}/qed-it/hello@${digest}`);
    expect(pull.exitCode, pull.stderr).toBe(0);
    const status = await registryStatus({ name, port }, deps);
    expect(status).toMatchObject({ state: 'running', healthy: true, repositories: ['qed-it/hello'] });
  });

  it('explains a port held by another process, naming it', async () => {
    const holderPort = await freeRegistryPort(new Set([testRegistryPort, port]));
    // A holder that accepts and never answers: registry up probes it for the registry API first.
    const server = net.createServer();
    const sockets = new Set<net.Socket>();
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(holderPort, '127.0.0.1', resolve));
    try {
      const error = await caught(registryUp({ name: other, port: holderPort }, deps));
      expect(isQedError(error, 'REGISTRY_PORT_IN_USE'), String(error)).toBe(true);
      expect((error as Error).message).toContain(`port ${holderPort} on 127.0.0.1 is already in use by`);
      expect((error as Error).message).toContain(`(pid ${process.pid})`);
      expect((await docker('container', 'inspect', other)).exitCode).not.toBe(0);
    } finally {
      // close() waits for open connections: the probe's is ended here rather than left to time out.
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a name taken by a container that is not a registry, and will not remove it', async () => {
    expect((await docker('build', '-t', plainImage, context)).exitCode).toBe(0);
    const created = await docker('create', '--name', clash, plainImage, '/hello.txt');
    expect(created.exitCode, created.stderr).toBe(0);
    const otherPort = await freeRegistryPort(new Set([testRegistryPort, port]));
    const up = await caught(registryUp({ name: clash, port: otherPort }, deps));
    expect(isQedError(up, 'REGISTRY_NAME_TAKEN'), String(up)).toBe(true);
    expect((up as Error).message).toContain(clash);
    const down = await caught(registryDown({ name: clash }, deps));
    expect(isQedError(down, 'REGISTRY_NAME_TAKEN')).toBe(true);
    expect((await docker('container', 'inspect', clash)).exitCode).toBe(0);
  });

  it('removes the container on down and keeps the volume', async () => {
    expect(await registryDown({ name }, deps)).toEqual({ removed: true, volumeRemoved: false });
    expect((await registryStatus({ name, port }, deps)).state).toBe('absent');
    expect((await docker('volume', 'inspect', `${name}-data`)).exitCode).toBe(0);
    expect(await registryDown({ name, port }, deps)).toMatchObject({ removed: false, volumeRemoved: false, reason: `no container named ${name}` });
  });
});

describeOnTestenv('local-registry-hosting against the real API server', (connection) => {
  it('publishes the ConfigMap, and publishing again changes nothing', async () => {
    const { api } = await connectCluster({ kubeconfig: connection.KUBECONFIG });
    const port = 5000 + (process.pid % 100);
    const options = {
      hostFromHost: `127.0.0.1:${port}`,
      hostFromContainerRuntime: `host.minikube.internal:${port}`,
      hostFromClusterNetwork: `host.minikube.internal:${port}`,
      help: LOCAL_REGISTRY_HOSTING_HELP,
    };
    const first = await publishLocalRegistryHosting(api, options);
    const read = await api.request<{ data: Record<string, string>; metadata: { resourceVersion: string } }>({
      method: 'GET',
      path: '/api/v1/namespaces/kube-public/configmaps/local-registry-hosting',
    });
    expect(read.data[LOCAL_REGISTRY_HOSTING_KEY]).toBe(
      [
        `host: "${options.hostFromHost}"`,
        `hostFromContainerRuntime: "${options.hostFromContainerRuntime}"`,
        `hostFromClusterNetwork: "${options.hostFromClusterNetwork}"`,
        `help: "${options.help}"`,
        '',
      ].join('\n'),
    );
    const second = await publishLocalRegistryHosting(api, options);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(read.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });
});
