import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultQedConfig } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCheckContext, probePort } from './node-check-context.js';

describe('probePort', () => {
  it('finds a port some server listens on in use, and free once it has closed', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await probePort('127.0.0.1', port)).toBe('in-use');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await probePort('127.0.0.1', port)).toBe('free');
    // The probe closed its own server: probing again still finds the port free.
    expect(await probePort('127.0.0.1', port)).toBe('free');
  });

  it('rejects for an address that is not on this machine', async () => {
    await expect(probePort('192.0.2.1', 5000)).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });
});

describe('nodeCheckContext', () => {
  let folder = '';
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'env-check-'));
    await writeFile(join(folder, 'cpuinfo'), 'flags\t\t: fpu vmx\n');
    await writeFile(join(folder, 'locked'), '');
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const ctx = () => {
    const runner = new FakeCommandRunner();
    const platform = {
      os: 'linux' as const,
      arch: 'x64',
      cpuCount: 4,
      totalMemoryBytes: 8 * 1024 ** 3,
      freeDiskBytes: null,
      diskPath: folder,
      homeDir: folder,
    };
    return {
      deps: { runner, platform, config: defaultQedConfig(folder), env: { DOCKER_HOST: undefined } },
      runner,
    };
  };

  it('passes the dependencies through', () => {
    const { deps } = ctx();
    const context = nodeCheckContext(deps);
    expect(context.runner).toBe(deps.runner);
    expect(context.platform).toBe(deps.platform);
    expect(context.config).toBe(deps.config);
    expect(context.env).toBe(deps.env);
    expect(context.probePort).toBe(probePort);
  });

  it('tells existing paths from missing ones', async () => {
    const context = nodeCheckContext(ctx().deps);
    expect(await context.pathExists(join(folder, 'cpuinfo'))).toBe(true);
    expect(await context.pathExists(join(folder, 'no-such-file'))).toBe(false);
  });

  it('tells a path this user may read and write from one it may not, and from a missing one', async () => {
    const context = nodeCheckContext(ctx().deps);
    expect(await context.canReadWrite(join(folder, 'cpuinfo'))).toBe(true);
    expect(await context.canReadWrite(join(folder, 'no-such-file'))).toBe(false);
    // As root every existing path is open, so a locked one is only tested for other users.
    if (process.getuid?.() !== 0) {
      await chmod(join(folder, 'locked'), 0o400);
      expect(await context.canReadWrite(join(folder, 'locked'))).toBe(false);
    }
  });

  it('reads text files, and null for what cannot be read', async () => {
    const context = nodeCheckContext(ctx().deps);
    expect(await context.readTextFile(join(folder, 'cpuinfo'))).toBe('flags\t\t: fpu vmx\n');
    expect(await context.readTextFile(join(folder, 'no-such-file'))).toBeNull();
    expect(await context.readTextFile(folder)).toBeNull();
  });
});
