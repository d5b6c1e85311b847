import { describe, expect, it } from 'vitest';
import { parseProfileList, parseStatus } from './cluster-facts.js';
import { compareVersions, versionConstant as v } from '@qed/core';
import { parseMinikubeVersion, requireUsableMinikube } from './minikube-version.js';
import { mountString } from './node-path.js';
import { profileNameProblem } from '@qed/core';

describe('minikube status -o json', () => {
  const node = (host: string, k: string, api: string, worker = false) =>
    ({ Name: 'qed', Host: host, Kubelet: k, APIServer: api, Kubeconfig: 'Configured', Worker: worker });
  // Running, paused, stopped and absent are replayed from the real minikube in recorded-outputs.test.ts.
  // What the lane cannot record (its none driver has one node; it runs the current release): several
  // nodes, in the recorded shape, and the "Nonexistent" host and plain sentence of older releases.
  it.each([
    [JSON.stringify([node('Running', 'Running', 'Running'), node('Running', 'Stopped', 'Irrelevant', true)]), 2, 'degraded'],
    ['* Profile "qed" not found. Run "minikube profile list" to view all profiles.', 85, 'absent'],
    [JSON.stringify(node('Nonexistent', 'Nonexistent', 'Nonexistent')), 7, 'absent'],
  ])('%s (exit %i) is %s', (stdout, exitCode, state) => {
    expect(parseStatus(stdout, exitCode).state).toBe(state);
  });
  it('refuses output it does not understand instead of guessing', () => {
    expect(() => parseStatus('E0101 something broke', 1)).toThrow(/unexpected output of minikube status/);
  });
});

describe('minikube profile list -o json', () => {
  it('reads the settings of valid profiles and the names of invalid ones', () => {
    const listing = parseProfileList(
      JSON.stringify({
        invalid: [{ Name: 'broken' }],
        valid: [
          {
            Name: 'qed',
            Status: 'OK',
            Config: {
              Driver: 'hyperv', HypervVirtualSwitch: 'QED', CPUs: 4, Memory: 8192, DiskSize: 40960,
              InsecureRegistry: ['127.0.0.1:5000'], Mount: true, MountString: 'C:\\q:/c/q',
              KubernetesConfig: { KubernetesVersion: 'v1.34.0', ContainerRuntime: 'containerd' },
            },
          },
        ],
      }),
    );
    expect([...listing.invalid]).toEqual(['broken']);
    expect(listing.valid.get('qed')).toEqual({
      driver: 'hyperv', cpus: 4, memoryMb: 8192, diskSizeMb: 40960, kubernetesVersion: 'v1.34.0',
      containerRuntime: 'containerd', insecureRegistries: ['127.0.0.1:5000'], mount: true, mountString: 'C:\\q:/c/q',
      hypervVirtualSwitch: 'QED',
    });
    expect(parseProfileList('X Exiting due to MK_USAGE_NO_PROFILE').valid.size).toBe(0);
  });
});

describe('versions', () => {
  it.each([
    ['{"commit":"abc","minikubeVersion":"v1.34.0"}', '1.34.0'],
    ['minikube version: v1.33.1\ncommit: 5883c09', '1.33.1'],
    ["Error: unknown shorthand flag: 'o'", null],
  ])('%s -> %s', (out, version) => expect(parseMinikubeVersion(out)).toBe(version));
  it('orders pre-releases before their release', () => {
    expect([compareVersions(v('1.33.0-beta.0'), v('1.33.0')), compareVersions(v('1.34.0'), v('1.33.9')), compareVersions(v('v1.33.0'), v('1.33.0'))]).toEqual([-1, 1, 0]);
    expect(() => requireUsableMinikube('1.33.0-beta.0')).toThrow(expect.objectContaining({ code: 'MINIKUBE_TOO_OLD' }));
    expect(requireUsableMinikube('1.33.0')).toBe('1.33.0');
  });
});

describe('paths and names', () => {
  it.each([
    ['C:\\Users\\me\\qed', 'windows', 'C:\\Users\\me\\qed:/c/Users/me/qed'],
    ['/Users/me/qed', 'macos', '/Users/me/qed:/Users/me/qed'],
  ] as const)('mounts %s on %s as %s', (host, os, mount) => expect(mountString(host, os)).toBe(mount));
  it.each([['qed', null], ['qed-dev.2', null], ['a', null], ['Qed_x', null], ['qed-', 'must start and end'], ['logs', 'command name'], ['x'.repeat(64), 'longer']])(
    '%s -> %s',
    (name, problem) => {
      const found = profileNameProblem(name);
      if (problem === null) expect(found).toBeNull();
      else expect(found).toContain(problem);
    },
  );
});
