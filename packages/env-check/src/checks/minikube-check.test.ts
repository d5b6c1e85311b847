import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import {
  MINIKUBE_1_26,
  MINIKUBE_1_33_BETA,
  MINIKUBE_1_37,
  MINIKUBE_1_38_BETA,
  MINIKUBE_TOO_OLD_FOR_JSON,
} from '../__fixtures__/minikube-outputs.js';
import { testContext } from '../__fixtures__/test-context.js';
import { minikubeCheck } from './minikube-check.js';

const VERSION = ['version', '-o', 'json'];

describe('minikubeCheck', () => {
  it.each([
    ['v1.37.0', MINIKUBE_1_37, 'ok', '1.37.0'],
    ['a pre-release newer than the minimum', MINIKUBE_1_38_BETA, 'ok', '1.38.0-beta.0'],
    ['v1.26.1', MINIKUBE_1_26, 'fail', '1.26.1'],
    ['a beta of the minimum, which precedes it', MINIKUBE_1_33_BETA, 'fail', '1.33.0-beta.0'],
  ] as const)('%s: %s', async (_name, output, status, version) => {
    const runner = new FakeCommandRunner().on('minikube', VERSION, output);
    const result = await minikubeCheck.run(testContext({ runner }));
    expect(result).toMatchObject({ id: 'minikube', status, version, required: '>= 1.33.0' });
    expect(result.hint === null).toBe(status === 'ok');
    expect(runner.commandLines).toEqual(['minikube version -o json']);
  });

  it('says how to upgrade an old one', async () => {
    const runner = new FakeCommandRunner().on('minikube', VERSION, MINIKUBE_1_26);
    const result = await minikubeCheck.run(testContext({ runner, os: 'macos' }));
    expect(result.detail).toBe('minikube 1.26.1 is older than 1.33.0');
    expect(result.hint).toBe('Upgrade minikube: brew upgrade minikube');
  });

  it('fails on a release too old to print JSON', async () => {
    const runner = new FakeCommandRunner().on('minikube', VERSION, MINIKUBE_TOO_OLD_FOR_JSON);
    const result = await minikubeCheck.run(testContext({ runner, os: 'windows' }));
    expect(result.status).toBe('fail');
    expect(result.detail).toBe(
      "could not read the output of minikube version -o json: Error: unknown shorthand flag: 'o' in -o",
    );
    expect(result.hint).toContain('winget upgrade Kubernetes.minikube');
  });

  it.each([
    ['macos', 'x64', 'brew install minikube'],
    ['windows', 'x64', 'winget install Kubernetes.minikube'],
    ['linux', 'x64', 'minikube-linux-amd64'],
    ['linux', 'arm64', 'minikube-linux-arm64'],
    ['wsl', 'x64', 'https://minikube.sigs.k8s.io/docs/start/'],
  ] as const)('fails when missing, with the install command for %s on %s', async (os, arch, install) => {
    const runner = new FakeCommandRunner().on('minikube', undefined, { notInstalled: true });
    const result = await minikubeCheck.run(testContext({ runner, os, platform: { arch } }));
    expect(result).toMatchObject({
      status: 'fail',
      version: null,
      detail: 'minikube is not installed (not on PATH)',
    });
    expect(result.hint).toContain(install);
  });
});
