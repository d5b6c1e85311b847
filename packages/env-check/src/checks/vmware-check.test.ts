import type { ClusterDriver, OperatingSystem } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { testContext } from '../__fixtures__/test-context.js';
import { VMRUN_17, VMRUN_BROKEN } from '../__fixtures__/vmware-outputs.js';
import { vmwareCheck } from './vmware-check.js';

type Answer = Parameters<FakeCommandRunner['on']>[2];

const run = (
  answer: Answer,
  machine: { os?: OperatingSystem; arch?: string; driver?: ClusterDriver } = {},
) => {
  const runner = new FakeCommandRunner().on('vmrun', [], answer);
  const ctx = testContext({
    runner,
    os: machine.os ?? 'linux',
    platform: { arch: machine.arch ?? 'x64' },
    cluster: { driver: machine.driver ?? 'vmware' },
  });
  return { runner, result: vmwareCheck.run(ctx) };
};

describe('vmwareCheck', () => {
  it("reads vmrun's banner though it exits non-zero without arguments", async () => {
    const { runner, result } = run(VMRUN_17);
    expect(await result).toMatchObject({
      status: 'ok',
      version: '1.17.0',
      detail: 'vmrun 1.17.0; minikube marks the vmware driver deprecated',
    });
    expect(runner.commandLines).toEqual(['vmrun']);
  });

  it.each([
    ['macos', 'export PATH="/Applications/VMware Fusion.app/Contents/Library:$PATH"'],
    ['windows', 'C:\\Program Files (x86)\\VMware\\VMware Workstation'],
    ['linux', 'Install VMware Workstation'],
  ] as const)('fails for vmware when vmrun is not on PATH on %s, saying where it is', async (os, hint) => {
    const result = await run({ notInstalled: true }, { os }).result;
    expect(result).toMatchObject({ status: 'fail', detail: 'vmrun is not installed (not on PATH)' });
    expect(result.hint).toContain(hint);
  });

  it('fails for vmware when vmrun is broken, and is skipped under another driver', async () => {
    expect(await run(VMRUN_BROKEN).result).toMatchObject({
      status: 'fail',
      detail:
        'vmrun printed no version: vmrun: error while loading shared libraries: libvixAllProducts.so: cannot open shared object file: No such file or directory',
    });
    expect((await run(VMRUN_BROKEN, { driver: 'docker' }).result).status).toBe('skip');
  });

  it('refuses Apple silicon without running anything', async () => {
    const { runner, result } = run(VMRUN_17, { os: 'macos', arch: 'arm64' });
    expect(await result).toMatchObject({
      status: 'fail',
      detail: "minikube's vmware driver runs only on Intel Macs",
    });
    expect(runner.calls).toEqual([]);
  });
});
