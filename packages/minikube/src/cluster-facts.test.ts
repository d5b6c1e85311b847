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

describe('gatherClusterFacts: the Hyper-V switches', () => {
  const noMinikube = () => new FakeCommandRunner().on('minikube', undefined, { notInstalled: true });
  const hyperv = (facts?: { hypervSwitches: string[] }) => ({ id: 'hyperv', status: 'ok' as const, version: null, ...(facts ? { facts } : {}) });

  it('are the ones the doctor listed, so the driver choice checks a wanted switch against them', async () => {
    const facts = await gatherClusterFacts(noMinikube(), { profile: 'qed', os: 'windows', doctor: [hyperv({ hypervSwitches: ['Default Switch', 'External LAN'] })] });
    expect(facts.hypervSwitches).toEqual(['Default Switch', 'External LAN']);
  });

  it('are unknown (null) when the doctor did not list them, and the caller may still name them', async () => {
    expect((await gatherClusterFacts(noMinikube(), { profile: 'qed', os: 'windows', doctor: [hyperv()] })).hypervSwitches).toBeNull();
    const named = await gatherClusterFacts(noMinikube(), { profile: 'qed', os: 'windows', doctor: [hyperv({ hypervSwitches: ['A'] })], hypervSwitches: ['B'] });
    expect(named.hypervSwitches).toEqual(['B']);
  });
});
