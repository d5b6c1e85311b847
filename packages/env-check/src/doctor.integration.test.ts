import { defaultQedConfig, detectPlatform, ProcessRunner } from '@qed/core';
import { describeOnTestenv } from 'testenv/vitest';
import { readPinnedVersions } from 'testenv';
import { expect, it } from 'vitest';
import { dockerCheck } from './checks/docker-check.js';
import { kubectlCheck } from './checks/kubectl-check.js';
import { nodeCheckContext } from './node-check-context.js';
import { runCheck } from './run-doctor.js';

describeOnTestenv('doctor against the real test cluster and engine', (connection) => {
  async function context() {
    const env = { ...process.env, KUBECONFIG: connection.KUBECONFIG, DOCKER_HOST: connection.DOCKER_HOST };
    const platform = await detectPlatform();
    return nodeCheckContext({ runner: new ProcessRunner({ env }), platform, config: defaultQedConfig(platform.homeDir), env });
  }

  it('reads the cluster version through kubectl and judges the skew against it', async () => {
    const result = await runCheck(kubectlCheck, await context());
    const server = /cluster('s)? (v?\d+\.\d+\.\d+)/.exec(`${result.detail} ${result.required}`)?.[2];
    const pinned = readPinnedVersions().kubernetes.replace(/^v/, '');
    expect(server?.replace(/^v/, '')).toBe(pinned);
    const client = Number(result.version?.split('.')[1]);
    // kubectl here is 1.32 and the test cluster newer by more than one minor: outside the policy.
    expect(result.status).toBe(Math.abs(Number(pinned.split('.')[1]) - client) > 1 ? 'warn' : 'ok');
  });

  it('finds the engine reachable through DOCKER_HOST and names it', async () => {
    const result = await runCheck(dockerCheck, await context());
    expect(result.status).toBe('ok');
    expect(result.detail).toContain(connection.DOCKER_HOST);
  });
});
