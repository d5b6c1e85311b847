import type { ClusterDriver } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import {
  PRLCTL_10,
  PRLCTL_19,
  PRLSRVCTL_LICENSE_PRO,
  PRLSRVCTL_LICENSE_STANDARD,
  PRLSRVCTL_NO_LICENSE,
} from '../__fixtures__/parallels-outputs.js';
import { testContext } from '../__fixtures__/test-context.js';
import { parallelsCheck } from './parallels-check.js';

type Answer = Parameters<FakeCommandRunner['on']>[2];

const run = (prlctl: Answer, license: Answer, driver: ClusterDriver = 'parallels') => {
  const runner = new FakeCommandRunner()
    .on('prlctl', ['--version'], prlctl)
    .on('prlsrvctl', ['info', '--license'], license);
  return {
    runner,
    result: parallelsCheck.run(
      testContext({ runner, os: 'macos', platform: { arch: 'arm64' }, cluster: { driver } }),
    ),
  };
};

describe('parallelsCheck', () => {
  it('finds Parallels Desktop Pro, and says minikube rates the driver deprecated', async () => {
    const { runner, result } = run(PRLCTL_19, PRLSRVCTL_LICENSE_PRO);
    expect(await result).toMatchObject({
      status: 'ok',
      version: '19.1.0',
      detail: 'Parallels Desktop 19.1.0, pro edition; minikube marks the parallels driver deprecated',
    });
    expect(runner.commandLines.sort()).toEqual(['prlctl --version', 'prlsrvctl info --license']);
  });

  it.each([
    [
      PRLCTL_19,
      PRLSRVCTL_LICENSE_STANDARD,
      'Parallels Desktop 19.1.0, standard edition: the parallels driver needs the Pro or Business edition',
    ],
    [
      PRLCTL_19,
      PRLSRVCTL_NO_LICENSE,
      'Parallels Desktop 19.1.0, but its edition could not be read (prlsrvctl info --license): the license may not be activated',
    ],
    [
      PRLCTL_10,
      PRLSRVCTL_LICENSE_PRO,
      'Parallels Desktop 10.4.0: the parallels driver needs version 11 or later',
    ],
  ])('fails for parallels when minikube would refuse it (%#)', async (prlctl, license, detail) => {
    expect(await run(prlctl, license).result).toMatchObject({ status: 'fail', detail });
  });

  it('warns about the edition under auto', async () => {
    expect((await run(PRLCTL_19, PRLSRVCTL_LICENSE_STANDARD, 'auto').result).status).toBe('warn');
  });

  it('fails for parallels when it is not installed, and is skipped otherwise', async () => {
    const missing = { notInstalled: true } as const;
    expect(await run(missing, missing).result).toMatchObject({
      status: 'fail',
      detail: 'prlctl is not installed (not on PATH): Parallels Desktop is not installed',
    });
    expect((await run(missing, missing, 'vfkit').result).status).toBe('skip');
  });

  it('is a macOS check', () => {
    expect(parallelsCheck.platforms).toEqual(['macos']);
  });
});
