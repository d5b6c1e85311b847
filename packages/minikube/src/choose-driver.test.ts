import type { ClusterDriver, OperatingSystem } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { chooseDriver, type DriverInput } from './choose-driver.js';
import type { DoctorFinding } from './cluster-facts.js';

const ok = (id: string, detail?: string): DoctorFinding => ({
  id,
  status: 'ok',
  version: null,
  ...(detail ? { detail } : {}),
});
const fail = (id: string, detail: string, hint?: string): DoctorFinding => ({
  id,
  status: 'fail',
  version: null,
  detail,
  ...(hint ? { hint } : {}),
});
const skip = (id: string, detail: string): DoctorFinding => ({ id, status: 'skip', version: null, detail });
const warn = (id: string, detail: string): DoctorFinding => ({ id, status: 'warn', version: null, detail });

const input = (over: Partial<DriverInput>): DriverInput => ({
  os: 'linux',
  arch: 'x64',
  requested: 'auto',
  doctor: [],
  hypervSwitches: null,
  ...over,
});

/** What chooseDriver threw, for assertions on code, message and hint. */
function thrown(over: Partial<DriverInput>): {
  code: string;
  message: string;
  hint?: string;
  data?: unknown;
} {
  try {
    chooseDriver(input(over));
  } catch (error) {
    return error as { code: string; message: string; hint?: string; data?: unknown };
  }
  throw new Error('chooseDriver did not throw');
}

describe('chooseDriver: the automatic order per OS and CPU', () => {
  it.each<[OperatingSystem, string, DoctorFinding[], string]>([
    // The guide's order, as before.
    ['linux', 'x64', [ok('virtualbox'), ok('docker'), ok('kvm2'), ok('qemu2'), ok('podman')], 'virtualbox'],
    ['linux', 'x64', [skip('virtualbox', 'not installed'), ok('docker'), ok('kvm2')], 'docker'],
    ['macos', 'x64', [ok('virtualbox'), ok('docker'), ok('vfkit')], 'virtualbox'],
    ['windows', 'x64', [ok('hyperv'), ok('virtualbox'), ok('docker')], 'hyperv'],
    ['wsl', 'x64', [ok('virtualbox'), ok('docker'), ok('kvm2')], 'docker'],
    // Falling through to the drivers that are new to the automatic choice.
    [
      'linux',
      'x64',
      [skip('virtualbox', 'not installed'), fail('docker', 'no engine'), ok('kvm2'), ok('qemu2')],
      'kvm2',
    ],
    [
      'linux',
      'x64',
      [fail('docker', 'no engine'), warn('kvm2', 'libvirt refused this user'), ok('qemu2'), ok('podman')],
      'qemu2',
    ],
    [
      'linux',
      'x64',
      [
        fail('docker', 'no engine'),
        skip('kvm2', 'not installed'),
        skip('qemu2', 'not installed'),
        ok('podman'),
      ],
      'podman',
    ],
    ['linux', 'arm64', [fail('docker', 'no engine'), ok('kvm2'), ok('qemu2')], 'qemu2'],
    ['wsl', 'x64', [fail('docker', 'no engine'), skip('virtualbox', 'not installed'), ok('kvm2')], 'kvm2'],
    ['macos', 'arm64', [ok('virtualbox'), ok('docker'), ok('vfkit')], 'docker'],
    ['macos', 'arm64', [ok('virtualbox'), fail('docker', 'no engine'), ok('vfkit'), ok('qemu2')], 'vfkit'],
    ['macos', 'arm64', [fail('docker', 'no engine'), skip('vfkit', 'not installed'), ok('qemu2')], 'qemu2'],
    [
      'macos',
      'x64',
      [skip('virtualbox', 'not installed'), fail('docker', 'no engine'), ok('vfkit')],
      'vfkit',
    ],
  ])('on %s/%s with %j picks %s', (os, arch, doctor, driver) => {
    expect(chooseDriver(input({ os, arch, doctor }))).toMatchObject({ driver, source: 'auto' });
  });

  it('passes over VirtualBox on Apple silicon with the reason, even when the doctor found it', () => {
    const choice = chooseDriver(
      input({ os: 'macos', arch: 'arm64', doctor: [ok('virtualbox'), ok('docker')] }),
    );
    expect(choice.reason).toBe(
      'no hypervisor is usable here, and the docker driver runs the node as a container; not virtualbox (VirtualBox does not run x86 VMs on Apple silicon, and released minikube (up to v1.38) has no VirtualBox support for Apple silicon)',
    );
  });

  it('explains a fall-through to kvm2, naming each driver passed over and why', () => {
    const choice = chooseDriver(
      input({
        doctor: [
          skip('virtualbox', 'not installed; not needed for driver auto'),
          fail('docker', 'client 28.2.2; the engine is not reachable'),
          ok('kvm2', 'libvirt 9.0.0 (QEMU 7.2.0) at qemu:///system; /dev/kvm present'),
        ],
      }),
    );
    expect(choice.reason).toBe(
      'libvirt and KVM are usable (libvirt 9.0.0 (QEMU 7.2.0) at qemu:///system; /dev/kvm present), and the kvm2 driver runs the node in a KVM VM; not virtualbox (not installed; not needed for driver auto), not docker (client 28.2.2; the engine is not reachable)',
    );
  });

  it('passes over kvm2 on an arm64 Linux machine with the reason', () => {
    const choice = chooseDriver(
      input({ arch: 'arm64', doctor: [fail('docker', 'no engine'), ok('kvm2'), ok('qemu2', 'QEMU 8.2.2')] }),
    );
    expect(choice.reason).toBe(
      "QEMU is installed (QEMU 8.2.2), and the qemu2 driver runs the node in a QEMU VM; not virtualbox (not found by the doctor), not docker (no engine), not kvm2 (minikube's kvm2 driver runs only on x64 (amd64) machines, not on arm64 (kubernetes/minikube#19959))",
    );
  });

  it('passes over the VM drivers when hardware virtualisation failed', () => {
    const choice = chooseDriver(
      input({
        doctor: [
          ok('kvm2'),
          ok('qemu2'),
          ok('podman', 'podman 5.4.2'),
          fail('virtualization', 'no /dev/kvm and no vmx/svm flag'),
        ],
      }),
    );
    expect(choice.driver).toBe('podman');
    expect(choice.reason).toContain('not kvm2 (virtualisation is off), not qemu2 (virtualisation is off)');
  });

  it('says when docker is taken before a hypervisor that is usable too', () => {
    const choice = chooseDriver(input({ doctor: [ok('docker'), ok('kvm2')] }));
    expect(choice).toMatchObject({
      driver: 'docker',
      reason:
        'the docker driver runs the node as a container and comes before kvm2 in the automatic order (set cluster.driver to use it); not virtualbox (not found by the doctor)',
    });
  });

  it('gives the reason for docker first under WSL', () => {
    expect(chooseDriver(input({ os: 'wsl', doctor: [ok('docker')] })).reason).toBe(
      "under WSL the docker driver comes first: it runs the node as a container on Docker's engine, where a VM would need nested virtualisation",
    );
  });

  it.each<[OperatingSystem, string, DoctorFinding[]]>([
    ['linux', 'x64', [ok('none')]],
    ['windows', 'x64', [ok('qemu2'), ok('podman'), ok('vmware')]],
    ['macos', 'x64', [ok('podman'), ok('parallels'), ok('vmware')]],
    ['macos', 'arm64', [ok('podman'), ok('parallels')]],
  ])(
    'never picks none, nor a driver minikube rates experimental or deprecated there (%s/%s)',
    (os, arch, doctor) => {
      expect(thrown({ os, arch, doctor })).toMatchObject({ code: 'NO_DRIVER_AVAILABLE' });
    },
  );

  it('applies only the per-OS rules when the CPU is unknown', () => {
    expect(chooseDriver(input({ os: 'macos', arch: undefined, doctor: [ok('virtualbox')] })).driver).toBe(
      'virtualbox',
    );
  });

  it.each<[OperatingSystem, string, string, RegExp]>([
    [
      'linux',
      'x64',
      'virtualbox, docker, kvm2, qemu2, podman',
      /libvirt for the kvm2 driver \(sudo apt-get install libvirt-daemon-system/,
    ],
    ['wsl', 'x64', 'docker, virtualbox, kvm2, qemu2, podman', /Install VirtualBox, or Docker/],
    [
      'macos',
      'arm64',
      'virtualbox, docker, vfkit, qemu2',
      /or vfkit \(brew install vfkit\) or QEMU \(brew install qemu\)/,
    ],
    ['macos', 'x64', 'virtualbox, docker, vfkit, qemu2', /Install VirtualBox, Docker Desktop/],
    ['windows', 'x64', 'hyperv, virtualbox, docker', /^Enable Hyper-V/],
  ])('refuses with every driver tried on %s/%s when none is usable', (os, arch, tried, hint) => {
    const error = thrown({ os, arch, doctor: [] });
    expect(error).toMatchObject({ code: 'NO_DRIVER_AVAILABLE', data: { tried: tried.split(', ') } });
    expect(error.hint).toMatch(hint);
    expect(error.message).toMatch(/^No minikube driver is usable on this machine: /);
  });
});

describe('chooseDriver: a driver asked for', () => {
  it('refuses VirtualBox on Apple silicon, naming the platform, the reason and the drivers there are', () => {
    const error = thrown({ os: 'macos', arch: 'arm64', requested: 'virtualbox', doctor: [ok('virtualbox')] });
    expect(error).toMatchObject({
      code: 'DRIVER_NOT_SUPPORTED',
      message:
        'minikube driver virtualbox cannot be used on macOS (Apple silicon, arm64): VirtualBox does not run x86 VMs on Apple silicon, and released minikube (up to v1.38) has no VirtualBox support for Apple silicon. The drivers minikube offers there: docker, vfkit, qemu2, podman (experimental), parallels (deprecated)',
      hint: 'Use docker, vfkit or qemu2 instead: set cluster.driver in qed.config.yaml or pass --driver (cluster.driver: auto picks one from what `qed-bootstrap doctor` finds).',
      data: {
        driver: 'virtualbox',
        os: 'macos',
        arch: 'arm64',
        supported: ['docker', 'vfkit', 'qemu2', 'podman', 'parallels'],
      },
    });
  });

  it.each<[OperatingSystem, string, ClusterDriver, RegExp]>([
    ['linux', 'x64', 'hyperv', /cannot be used on Linux \(x64\): Hyper-V exists only on Windows\./],
    [
      'windows',
      'x64',
      'vfkit',
      /cannot be used on Windows \(x64\): vfkit drives macOS's Virtualization framework/,
    ],
    ['linux', 'arm64', 'kvm2', /cannot be used on Linux \(arm64\): minikube's kvm2 driver runs only on x64/],
    ['macos', 'arm64', 'vmware', /runs only on Intel Macs/],
    ['macos', 'x64', 'none', /must be Linux/],
    ['windows', 'arm64', 'qemu2', /on Windows minikube's qemu2 driver runs only on x64/],
  ])('refuses on %s/%s a driver minikube does not offer there: %s', (os, arch, requested, message) => {
    const error = thrown({ os, arch, requested });
    expect(error.code).toBe('DRIVER_NOT_SUPPORTED');
    expect(error.message).toMatch(message);
  });

  it.each<[OperatingSystem, string, RegExp]>([
    ['macos', 'x64', / vfkit takes hyperkit's place: brew install vfkit\.$/],
    ['macos', 'arm64', / vfkit takes hyperkit's place/],
    ['linux', 'x64', /^Use docker, podman, kvm2, qemu2 or virtualbox instead/],
    ['windows', 'x64', /^Use hyperv, docker or virtualbox instead/],
  ])('refuses hyperkit on %s/%s with a clear hint', (os, arch, hint) => {
    const error = thrown({ os, arch, requested: 'hyperkit', doctor: [ok('hyperkit')] });
    expect(error.code).toBe('DRIVER_NOT_SUPPORTED');
    expect(error.message).toMatch(
      /minikube has deprecated its hyperkit driver \(v1\.37\.0 was the last release to build it/,
    );
    expect(error.hint).toMatch(hint);
  });

  it('refuses a name minikube does not know (a typo in --driver)', () => {
    expect(thrown({ requested: 'vbox' as ClusterDriver })).toMatchObject({
      code: 'DRIVER_NOT_SUPPORTED',
      message: expect.stringMatching(
        /^minikube driver vbox cannot be used on Linux \(x64\): minikube has no driver named "vbox"\. The drivers minikube offers there: docker, podman, kvm2/,
      ),
    });
  });

  it("takes minikube's alias qemu as qemu2", () => {
    expect(
      chooseDriver(input({ os: 'macos', arch: 'arm64', requested: 'qemu' as ClusterDriver })),
    ).toMatchObject({
      driver: 'qemu2',
      source: 'option',
    });
  });

  it('accepts none on Linux, saying what it means, though it is never chosen automatically', () => {
    expect(chooseDriver(input({ requested: 'none' }))).toEqual({
      driver: 'none',
      source: 'option',
      reason:
        "driver none was asked for (--driver or cluster.driver): Kubernetes runs directly on this machine, with no VM or container around it; minikube needs root (or passwordless sudo) for it and changes this machine's network rules, containers and /etc",
    });
  });

  it.each<[OperatingSystem, string, ClusterDriver, string]>([
    ['linux', 'x64', 'kvm2', 'driver kvm2 was asked for (--driver or cluster.driver)'],
    [
      'windows',
      'x64',
      'qemu2',
      'driver qemu2 was asked for (--driver or cluster.driver); minikube marks it experimental on Windows (x64)',
    ],
    [
      'macos',
      'arm64',
      'parallels',
      'driver parallels was asked for (--driver or cluster.driver); minikube marks it deprecated on macOS (Apple silicon, arm64)',
    ],
  ])('accepts on %s/%s %s, saying when minikube does not rate it stable', (os, arch, requested, reason) => {
    expect(chooseDriver(input({ os, arch, requested }))).toEqual({
      driver: requested,
      source: 'option',
      reason,
    });
  });

  it("refuses a driver the doctor failed, with the doctor's hint", () => {
    const error = thrown({
      requested: 'kvm2',
      doctor: [
        fail(
          'kvm2',
          'libvirt refused this user',
          'sudo usermod -aG libvirt "$USER", then log out and back in.',
        ),
      ],
    });
    expect(error).toMatchObject({
      code: 'DRIVER_NOT_AVAILABLE',
      message: 'minikube driver kvm2 cannot be used: libvirt refused this user',
      hint: 'sudo usermod -aG libvirt "$USER", then log out and back in.',
    });
  });

  it('refuses a VM driver when hardware virtualisation failed, but not a container driver', () => {
    const doctor = [fail('virtualization', 'no /dev/kvm and no vmx/svm flag in /proc/cpuinfo')];
    expect(thrown({ requested: 'qemu2', doctor }).code).toBe('VIRTUALIZATION_DISABLED');
    expect(chooseDriver(input({ requested: 'podman', doctor })).driver).toBe('podman');
  });
});
