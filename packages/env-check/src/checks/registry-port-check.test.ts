import type { OperatingSystem } from '@qed/core';
import { FakeCommandRunner, type RecordedAnswer } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { latch } from '../__fixtures__/latch.js';
import { testContext } from '../__fixtures__/test-context.js';
import { registryPortCheck } from './registry-port-check.js';

/** `lsof -nP -iTCP:5000 -sTCP:LISTEN -Fpc` on macOS 15 with the AirPlay Receiver on (lsof cuts command names at 9 characters). */
const LSOF_AIRPLAY = { stdout: 'p612\ncControlCe\n' };
/** The same port held by Docker Desktop publishing an existing registry container. */
const LSOF_DOCKER = { stdout: 'p1873\nccom.docke\n' };
/** Nothing listening: lsof prints nothing and exits 1. */
const LSOF_NOTHING = { exitCode: 1 };

function context(options: {
  os: OperatingSystem;
  probe: 'free' | 'in-use' | 'no-permission' | Error;
  lsof?: RecordedAnswer;
  registryHost?: string;
}) {
  const runner = new FakeCommandRunner();
  if (options.lsof) runner.on('lsof', undefined, options.lsof);
  const probes: Array<[string, number]> = [];
  const ctx = testContext({
    os: options.os,
    runner,
    ...(options.registryHost ? { registryHost: options.registryHost } : {}),
    probePort: async (host, port) => {
      probes.push([host, port]);
      if (options.probe instanceof Error) throw options.probe;
      return options.probe;
    },
  });
  return { ctx, probes };
}

describe('registryPortCheck', () => {
  it('is ok when the port is free, probing the configured host and port', async () => {
    const { ctx, probes } = context({ os: 'linux', probe: 'free', lsof: LSOF_NOTHING });
    const result = await registryPortCheck.run(ctx);
    expect(result).toMatchObject({
      id: 'registry-port',
      status: 'ok',
      detail: '127.0.0.1:5000 is free',
      hint: null,
    });
    expect(probes).toEqual([['127.0.0.1', 5000]]);
    // Linux refuses a bind under a wildcard listener, so a free probe needs no lsof.
    expect(ctx.runner.commandLines).toEqual([]);
  });

  it('on Linux asks lsof only to name the holder of a port in use', async () => {
    const { ctx } = context({ os: 'linux', probe: 'in-use', lsof: LSOF_NOTHING });
    expect((await registryPortCheck.run(ctx)).status).toBe('warn');
    expect(ctx.runner.commandLines).toEqual(['lsof -nP -iTCP:5000 -sTCP:LISTEN -Fpc']);
  });

  it('names the AirPlay Receiver on macOS, with where to turn it off', async () => {
    const { ctx } = context({ os: 'macos', probe: 'in-use', lsof: LSOF_AIRPLAY });
    const result = await registryPortCheck.run(ctx);
    expect(result).toMatchObject({
      status: 'warn',
      detail: 'port 5000 is taken by ControlCe (pid 612), the AirPlay Receiver',
      hint: 'Turn off the AirPlay Receiver (System Settings > General > AirDrop & Handoff > AirPlay Receiver), or set registry.host to another port in qed.config.yaml, e.g. 127.0.0.1:5001.',
    });
  });

  it('trusts lsof over a probe of one address: a wildcard listener can hide from it on macOS', async () => {
    const { ctx } = context({ os: 'macos', probe: 'free', lsof: LSOF_AIRPLAY });
    const result = await registryPortCheck.run(ctx);
    expect(result.status).toBe('warn');
    expect(result.detail).toContain('AirPlay Receiver');
  });

  it('still suspects AirPlay on macOS when lsof is not installed', async () => {
    const { ctx } = context({ os: 'macos', probe: 'in-use', lsof: { notInstalled: true } });
    const result = await registryPortCheck.run(ctx);
    expect(result).toMatchObject({
      status: 'warn',
      detail: 'port 5000 is taken, most likely by the AirPlay Receiver',
    });
  });

  it('does not blame AirPlay for a port Docker holds: it may be a registry to reuse', async () => {
    const { ctx } = context({ os: 'macos', probe: 'in-use', lsof: LSOF_DOCKER });
    const result = await registryPortCheck.run(ctx);
    expect(result).toMatchObject({
      status: 'warn',
      detail: 'port 5000 on 127.0.0.1 is in use by com.docke (pid 1873)',
    });
    expect(result.hint).toContain('`qed-bootstrap registry up` will reuse it');
  });

  it.each([
    ['linux', { notInstalled: true }],
    ['linux', { timeout: true }],
    ['wsl', LSOF_NOTHING],
  ] as const)('on %s warns for a port in use even when lsof answers %j', async (os, lsof) => {
    const { ctx } = context({ os, probe: 'in-use', lsof });
    const result = await registryPortCheck.run(ctx);
    expect(result).toMatchObject({ status: 'warn', detail: 'port 5000 on 127.0.0.1 is in use' });
    expect(result.hint).toContain('e.g. 127.0.0.1:5001');
  });

  it('does not run lsof on Windows', async () => {
    const { ctx } = context({ os: 'windows', probe: 'in-use' });
    const result = await registryPortCheck.run(ctx);
    expect(result.status).toBe('warn');
    expect(ctx.runner.calls).toEqual([]);
  });

  it('on macOS asks lsof while the probe runs, not after', async () => {
    const both = latch(2);
    const runner = new FakeCommandRunner().on('lsof', undefined, LSOF_NOTHING);
    const run = runner.run.bind(runner);
    runner.run = async (spec) => {
      await both.arrive();
      return run(spec);
    };
    const ctx = testContext({
      os: 'macos',
      runner,
      probePort: async () => {
        await both.arrive();
        return 'free';
      },
    });
    expect((await registryPortCheck.run(ctx)).status).toBe('ok');
  });

  it('warns when listening is not allowed', async () => {
    const { ctx } = context({
      os: 'linux',
      probe: 'no-permission',
      lsof: LSOF_NOTHING,
      registryHost: '127.0.0.1:443',
    });
    const result = await registryPortCheck.run(ctx);
    expect(result).toMatchObject({
      status: 'warn',
      detail: 'no permission to listen on port 443 (ports below 1024 need root)',
    });
  });

  it('warns when the probe itself fails', async () => {
    const error = Object.assign(new Error('listen EADDRNOTAVAIL: address not available 127.0.0.2:5000'), {
      code: 'EADDRNOTAVAIL',
    });
    const { ctx } = context({
      os: 'linux',
      probe: error,
      lsof: LSOF_NOTHING,
      registryHost: '127.0.0.2:5000',
    });
    const result = await registryPortCheck.run(ctx);
    expect(result).toMatchObject({
      status: 'warn',
      detail: 'could not probe 127.0.0.2:5000: listen EADDRNOTAVAIL: address not available 127.0.0.2:5000',
    });
  });

  it('skips a registry that is not on this machine', async () => {
    const { ctx, probes } = context({
      os: 'linux',
      probe: 'free',
      registryHost: 'registry.example.com:5000',
    });
    const result = await registryPortCheck.run(ctx);
    expect(result.status).toBe('skip');
    expect(probes).toEqual([]);
  });

  it('warns about a registry.host without a port', async () => {
    const { ctx } = context({ os: 'linux', probe: 'free', registryHost: 'localhost' });
    const result = await registryPortCheck.run(ctx);
    expect(result).toMatchObject({ status: 'warn', detail: 'registry.host "localhost" names no port' });
  });
});
