import { describe, expect, it } from 'vitest';
import {
  describePlatform,
  driverSupport,
  formatDriverList,
  normalizeClusterDriver,
  suggestedDrivers,
  supportedDrivers,
} from './cluster-drivers.js';
import { parseConfig } from './load-config.js';
import { CLUSTER_DRIVERS } from './qed-config.js';

const listed = (os: Parameters<typeof supportedDrivers>[0], arch?: string) =>
  formatDriverList(supportedDrivers(os, arch));

describe('supportedDrivers: minikube v1.38.1 per OS and CPU', () => {
  it.each([
    ['linux', 'x64', 'docker, podman, kvm2, qemu2, virtualbox, none, vmware (deprecated)'],
    ['linux', 'arm64', 'docker, podman, qemu2, virtualbox, none, vmware (deprecated)'],
    ['wsl', 'x64', 'docker, podman, kvm2, qemu2, virtualbox, none, vmware (deprecated)'],
    [
      'macos',
      'x64',
      'docker, vfkit, qemu2, virtualbox, podman (experimental), parallels (deprecated), vmware (deprecated)',
    ],
    ['macos', 'arm64', 'docker, vfkit, qemu2, podman (experimental), parallels (deprecated)'],
    [
      'windows',
      'x64',
      'hyperv, docker, virtualbox, qemu2 (experimental), podman (experimental), vmware (deprecated)',
    ],
    ['windows', 'arm64', 'hyperv, docker, virtualbox, podman (experimental), vmware (deprecated)'],
    ['linux', 's390x', 'docker, podman, virtualbox, none, vmware (deprecated)'],
  ] as const)('%s on %s: %s', (os, arch, expected) => {
    expect(listed(os, arch)).toBe(expected);
  });

  it('applies no per-CPU rule when the CPU is unknown', () => {
    expect(listed('macos')).toBe(
      'docker, vfkit, qemu2, virtualbox, podman (experimental), parallels (deprecated), vmware (deprecated)',
    );
  });
});

describe('driverSupport', () => {
  it('refuses VirtualBox on Apple silicon, with the reason', () => {
    expect(driverSupport('virtualbox', 'macos', 'arm64')).toEqual({
      supported: false,
      reason:
        'VirtualBox does not run x86 VMs on Apple silicon, and released minikube (up to v1.38) has no VirtualBox support for Apple silicon',
    });
    expect(driverSupport('virtualbox', 'macos', 'x64')).toEqual({ supported: true, stability: 'stable' });
  });

  it.each([
    ['hyperkit', 'macos', 'x64', /deprecated its hyperkit driver .* ran only on Intel Macs/],
    ['hyperkit', 'linux', 'x64', /deprecated its hyperkit driver/],
    ['hyperv', 'linux', 'x64', /^Hyper-V exists only on Windows$/],
    ['vfkit', 'windows', 'x64', /only on macOS/],
    ['parallels', 'linux', 'x64', /only on macOS/],
    ['kvm2', 'macos', 'arm64', /only on Linux/],
    [
      'kvm2',
      'linux',
      'arm64',
      /^minikube's kvm2 driver runs only on x64 \(amd64\) machines, not on arm64 \(kubernetes\/minikube#19959\)$/,
    ],
    ['qemu2', 'windows', 'arm64', /^on Windows minikube's qemu2 driver runs only on x64, not on arm64$/],
    ['qemu2', 'linux', 'ppc64', /runs only on x64 and arm64, not on ppc64/],
    ['vmware', 'macos', 'arm64', /only on Intel Macs/],
    ['none', 'macos', 'arm64', /must be Linux/],
    ['vbox', 'linux', 'x64', /^minikube has no driver named "vbox"$/],
    ['auto', 'linux', 'x64', /no driver named "auto"/],
  ] as const)('refuses %s on %s/%s', (driver, os, arch, reason) => {
    const support = driverSupport(driver, os, arch);
    expect(support.supported).toBe(false);
    if (!support.supported) expect(support.reason).toMatch(reason);
  });

  it('rates drivers as minikube does: podman experimental off Linux, qemu2 experimental on Windows', () => {
    expect(driverSupport('podman', 'linux', 'x64')).toEqual({ supported: true, stability: 'stable' });
    expect(driverSupport('podman', 'macos', 'arm64')).toEqual({ supported: true, stability: 'experimental' });
    expect(driverSupport('qemu2', 'windows', 'x64')).toEqual({ supported: true, stability: 'experimental' });
    expect(driverSupport('parallels', 'macos', 'arm64')).toEqual({
      supported: true,
      stability: 'deprecated',
    });
  });

  it('treats WSL as Linux, as minikube does', () => {
    expect(driverSupport('kvm2', 'wsl', 'x64')).toEqual({ supported: true, stability: 'stable' });
    expect(driverSupport('none', 'wsl', 'x64').supported).toBe(true);
  });

  it("knows minikube's alias qemu as qemu2", () => {
    expect(driverSupport('qemu', 'macos', 'arm64')).toEqual({ supported: true, stability: 'stable' });
  });
});

describe('suggestedDrivers', () => {
  it.each([
    ['macos', 'arm64', [], 'docker, vfkit or qemu2'],
    ['macos', 'x64', ['virtualbox'], 'docker, vfkit or qemu2'],
    ['linux', 'x64', [], 'docker, podman, kvm2, qemu2 or virtualbox'],
    ['windows', 'x64', ['hyperv'], 'docker or virtualbox'],
  ] as const)('on %s/%s without %j: %s', (os, arch, except, expected) => {
    expect(suggestedDrivers(os, arch, except)).toBe(expected);
  });
});

describe('describePlatform', () => {
  it.each([
    ['macos', 'arm64', 'macOS (Apple silicon, arm64)'],
    ['macos', 'x64', 'macOS (Intel, x64)'],
    ['linux', 'x64', 'Linux (x64)'],
    ['wsl', 'x64', 'WSL (x64)'],
    ['windows', undefined, 'Windows'],
  ] as const)('%s %s: %s', (os, arch, expected) => {
    expect(describePlatform(os, arch)).toBe(expected);
  });
});

describe('driver names in the config', () => {
  it("matches minikube's names: qemu2, no hyperkit offered", () => {
    expect(CLUSTER_DRIVERS).toContain('qemu2');
    expect(CLUSTER_DRIVERS).not.toContain('qemu');
    expect(CLUSTER_DRIVERS).not.toContain('hyperkit');
  });

  it.each([
    ['qemu', 'qemu2'],
    ['qemu2', 'qemu2'],
    ['hyperkit', 'hyperkit'],
    ['auto', 'auto'],
    ['vbox', null],
  ] as const)('normalises %s to %s', (name, expected) => {
    expect(normalizeClusterDriver(name)).toBe(expected);
  });

  it("loads minikube's alias qemu as qemu2", () => {
    expect(parseConfig('cluster:\n  driver: qemu\n', '/p/qed.config.yaml', '/h').cluster.driver).toBe(
      'qemu2',
    );
  });

  it('still loads a config naming hyperkit, so that `cluster up` can say why it is refused', () => {
    expect(parseConfig('cluster:\n  driver: hyperkit\n', '/p/qed.config.yaml', '/h').cluster.driver).toBe(
      'hyperkit',
    );
  });
});
