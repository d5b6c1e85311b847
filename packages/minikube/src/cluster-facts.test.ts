import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { gatherClusterFacts } from './cluster-facts.js';

describe('gatherClusterFacts', () => {
  const noMinikube = () => new FakeCommandRunner().on('minikube', undefined, { notInstalled: true });

  it('carries the CPU the caller names, for the driver choice', async () => {
    const facts = await gatherClusterFacts(noMinikube(), { profile: 'qed', os: 'macos', arch: 'arm64' });
    expect(facts).toMatchObject({ os: 'macos', arch: 'arm64', minikubeVersion: null });
  });

  it("takes this process's CPU when the caller names none", async () => {
    expect((await gatherClusterFacts(noMinikube(), { profile: 'qed', os: 'linux' })).arch).toBe(process.arch);
  });
});
