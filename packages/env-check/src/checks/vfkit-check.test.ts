import type { ClusterDriver } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { testContext } from '../__fixtures__/test-context.js';
import { VFKIT_0_6, VFKIT_KILLED } from '../__fixtures__/vfkit-outputs.js';
import { vfkitCheck } from './vfkit-check.js';

type Answer = Parameters<FakeCommandRunner['on']>[2];

const run = (answer: Answer, driver: ClusterDriver = 'auto', arch = 'arm64') => {
  const runner = new FakeCommandRunner().on('vfkit', ['--version'], answer);
  return {
    runner,
    result: vfkitCheck.run(testContext({ runner, os: 'macos', platform: { arch }, cluster: { driver } })),
  };
};

describe('vfkitCheck', () => {
  it.each(['arm64', 'x64'])('finds vfkit on a %s Mac', async (arch) => {
    const { runner, result } = run(VFKIT_0_6, 'vfkit', arch);
    expect(await result).toMatchObject({
      status: 'ok',
      version: '0.6.1',
      required: 'the vfkit binary (cluster.driver is vfkit)',
      detail: "vfkit 0.6.1: the VM runs on macOS's Virtualization framework",
    });
    expect(runner.commandLines).toEqual(['vfkit --version']);
  });

  it('fails for vfkit when it is missing, with the Homebrew command', async () => {
    expect(await run({ notInstalled: true }, 'vfkit').result).toMatchObject({
      status: 'fail',
      detail: 'vfkit is not installed (not on PATH)',
      hint: 'Install it: brew install vfkit.',
    });
  });

  it('is skipped when missing and not asked for', async () => {
    expect(await run({ notInstalled: true }).result).toMatchObject({
      status: 'skip',
      detail: 'vfkit is not installed (not on PATH); not needed for driver auto',
    });
  });

  it('fails for vfkit when the binary is killed on start, and warns under auto', async () => {
    const result = await run(VFKIT_KILLED, 'vfkit').result;
    expect(result).toMatchObject({
      status: 'fail',
      detail: 'vfkit --version printed no version: exit code SIGKILL',
    });
    expect(result.hint).toContain('brew reinstall vfkit');
    expect((await run(VFKIT_KILLED).result).status).toBe('warn');
  });

  it('is a macOS check: elsewhere it is a skip that runs nothing', async () => {
    const runner = new FakeCommandRunner();
    expect(vfkitCheck.platforms).toEqual(['macos']);
    expect(
      await vfkitCheck.run(testContext({ runner, os: 'linux', cluster: { driver: 'vfkit' } })),
    ).toMatchObject({
      status: 'skip',
      detail: 'applies only on macOS',
    });
    expect(runner.calls).toEqual([]);
  });
});
