import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import {
  KUBECTL_NO_CLUSTER,
  KUBECTL_RC_CLIENT,
  KUBECTL_SKEWED_BY_TWO,
  KUBECTL_UNABLE_TO_CONNECT,
} from '../__fixtures__/kubectl-outputs.js';
import { testContext } from '../__fixtures__/test-context.js';
import { kubectlCheck } from './kubectl-check.js';

const VERSION = ['version', '-o', 'json', '--request-timeout=5s'];

describe('kubectlCheck', () => {
  it('is ok without a cluster, reading the client version printed beside the error', async () => {
    const runner = new FakeCommandRunner().on('kubectl', VERSION, KUBECTL_NO_CLUSTER);
    const result = await kubectlCheck.run(testContext({ runner }));
    expect(result).toMatchObject({
      status: 'ok',
      version: '1.32.4-dispatcher',
      detail:
        'client 1.32.4-dispatcher; no cluster reachable (fine before the cluster is started): The connection to the server localhost:8080 was refused - did you specify the right host or port?',
      hint: null,
    });
    expect(runner.commandLines).toEqual(['kubectl version -o json --request-timeout=5s']);
  });

  it('passes KUBECONFIG from the user environment', async () => {
    const runner = new FakeCommandRunner().on('kubectl', VERSION, KUBECTL_UNABLE_TO_CONNECT);
    const result = await kubectlCheck.run(
      testContext({ runner, env: { KUBECONFIG: '/home/dev/.kube/qed' } }),
    );
    expect(result.status).toBe('ok');
    expect(result.detail).toContain('Unable to connect to the server');
    expect(runner.calls[0]?.env).toEqual({ KUBECONFIG: '/home/dev/.kube/qed' });
  });

  it('warns when the cluster is two minor versions away, naming both and the fix', async () => {
    const runner = new FakeCommandRunner().on('kubectl', VERSION, KUBECTL_SKEWED_BY_TWO);
    const result = await kubectlCheck.run(testContext({ runner, os: 'macos' }));
    expect(result).toMatchObject({
      status: 'warn',
      version: '1.32.4',
      required: '1.33 to 1.35 (cluster 1.34.1)',
      detail:
        "kubectl 1.32.4 is 2 minor versions away from the cluster's 1.34.1; kubectl supports one minor version of skew",
      hint: 'Install kubectl 1.34 (brew install kubectl), or use the one matching the cluster: minikube kubectl -- <args>.',
    });
  });

  it('parses a release-candidate client within one minor of the cluster', async () => {
    const runner = new FakeCommandRunner().on('kubectl', VERSION, KUBECTL_RC_CLIENT);
    const result = await kubectlCheck.run(testContext({ runner }));
    expect(result).toMatchObject({
      status: 'ok',
      version: '1.34.0-rc.1',
      detail: 'client 1.34.0-rc.1, cluster 1.33.2',
    });
  });

  it.each([
    ['macos', 'brew install kubectl'],
    ['windows', 'winget install Kubernetes.kubectl'],
    ['linux', 'https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/'],
  ] as const)('fails when missing, with the %s install command', async (os, install) => {
    const runner = new FakeCommandRunner().on('kubectl', undefined, { notInstalled: true });
    const result = await kubectlCheck.run(testContext({ runner, os }));
    expect(result).toMatchObject({
      status: 'fail',
      version: null,
      detail: 'kubectl is not installed (not on PATH)',
    });
    expect(result.hint).toContain(install);
  });

  it('fails when the output holds no client version', async () => {
    const runner = new FakeCommandRunner().on('kubectl', VERSION, {
      stderr: 'error: unknown flag: --request-timeout\n',
      exitCode: 1,
    });
    const result = await kubectlCheck.run(testContext({ runner }));
    expect(result.status).toBe('fail');
    expect(result.detail).toContain('error: unknown flag: --request-timeout');
  });
});
