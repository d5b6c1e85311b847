import type { ClusterDriver } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import {
  VIRSH_DEBIAN_12,
  VIRSH_NO_DAEMON,
  VIRSH_NO_QEMU_DRIVER,
  VIRSH_NOT_IN_GROUP,
  VIRSH_POLKIT,
  VIRSH_UBUNTU_24_04,
} from '../__fixtures__/libvirt-outputs.js';
import { testContext } from '../__fixtures__/test-context.js';
import { kvm2Check, VIRSH_VERSION_ARGS } from './kvm2-check.js';

type Answer = Parameters<FakeCommandRunner['on']>[2];

function run(
  answer: Answer,
  options: { driver?: ClusterDriver; kvm?: boolean; os?: 'linux' | 'wsl'; arch?: string } = {},
) {
  const runner = new FakeCommandRunner().on('virsh', VIRSH_VERSION_ARGS, answer);
  const ctx = testContext({
    runner,
    os: options.os ?? 'linux',
    platform: { arch: options.arch ?? 'x64' },
    cluster: { driver: options.driver ?? 'auto' },
    paths: options.kvm === false ? [] : ['/dev/kvm'],
  });
  return { runner, result: kvm2Check.run(ctx) };
}

describe('kvm2Check', () => {
  it.each([
    ['Debian 12', VIRSH_DEBIAN_12, '9.0.0', 'libvirt 9.0.0 (QEMU 7.2.0) at qemu:///system; /dev/kvm present'],
    [
      'Ubuntu 24.04',
      VIRSH_UBUNTU_24_04,
      '10.0.0',
      'libvirt 10.0.0 (QEMU 8.2.2) at qemu:///system; /dev/kvm present',
    ],
  ])(
    "reads %s's libvirt through the system connection minikube uses",
    async (_name, answer, version, detail) => {
      const { runner, result } = run(answer, { driver: 'kvm2' });
      expect(await result).toMatchObject({
        status: 'ok',
        version,
        detail,
        required: 'libvirt answering at qemu:///system, and /dev/kvm (cluster.driver is kvm2)',
      });
      expect(runner.commandLines).toEqual(['virsh --connect qemu:///system version']);
    },
  );

  it('fails for kvm2 when virsh is missing, with the packages and the group to join', async () => {
    const result = await run({ notInstalled: true }, { driver: 'kvm2' }).result;
    expect(result).toMatchObject({
      status: 'fail',
      detail: "libvirt's virsh is not installed (not on PATH)",
    });
    expect(result.hint).toContain('sudo apt-get install libvirt-daemon-system libvirt-clients');
    expect(result.hint).toContain('sudo usermod -aG libvirt "$USER"');
  });

  it.each(['auto', 'docker'] as const)(
    'is skipped when virsh is missing and the driver is %s',
    async (driver) => {
      expect(await run({ notInstalled: true }, { driver }).result).toMatchObject({
        status: 'skip',
        required: null,
        detail: `libvirt's virsh is not installed (not on PATH); not needed for driver ${driver}`,
        hint: null,
      });
    },
  );

  it.each([
    [
      'no daemon',
      VIRSH_NO_DAEMON,
      "libvirt's daemon is not running: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory",
      /systemctl enable --now libvirtd/,
    ],
    [
      'a user outside the libvirt group',
      VIRSH_NOT_IN_GROUP,
      "libvirt refused this user at qemu:///system: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied",
      /sudo usermod -aG libvirt "\$USER", then log out and back in/,
    ],
    [
      'polkit with no agent (Fedora)',
      VIRSH_POLKIT,
      "libvirt refused this user at qemu:///system: authentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'",
      /usermod -aG libvirt/,
    ],
    [
      'anything else',
      VIRSH_NO_QEMU_DRIVER,
      'virsh could not reach libvirt at qemu:///system: no connection driver available for qemu:///system',
      /^Run `virsh --connect qemu:\/\/\/system version` to see what is wrong\.$/,
    ],
  ])('fails for kvm2 on %s, naming the cause and the fix', async (_name, answer, detail, hint) => {
    const result = await run(answer, { driver: 'kvm2' }).result;
    expect(result).toMatchObject({ status: 'fail', detail });
    expect(result.hint).toMatch(hint);
  });

  it('only warns about an unreachable libvirt under auto, and informs under another driver', async () => {
    expect((await run(VIRSH_NOT_IN_GROUP).result).status).toBe('warn');
    expect(await run(VIRSH_NOT_IN_GROUP, { driver: 'docker' }).result).toMatchObject({
      status: 'skip',
      hint: null,
    });
  });

  it('fails for kvm2 when libvirt answers but there is no /dev/kvm', async () => {
    const result = await run(VIRSH_DEBIAN_12, { driver: 'kvm2', kvm: false }).result;
    expect(result).toMatchObject({
      status: 'fail',
      version: '9.0.0',
      detail:
        'libvirt 9.0.0 (QEMU 7.2.0) at qemu:///system answers, but /dev/kvm is missing: without KVM libvirt can only emulate, and the kvm2 driver asks for KVM',
    });
    expect(result.hint).toContain('sudo modprobe kvm_intel');
  });

  it('points WSL at nested virtualisation when /dev/kvm is missing', async () => {
    const result = await run(VIRSH_DEBIAN_12, { os: 'wsl', kvm: false }).result;
    expect(result.status).toBe('warn');
    expect(result.hint).toContain('nestedVirtualization=true');
  });

  it('refuses an arm64 machine without running anything: minikube offers kvm2 only on x64', async () => {
    const { runner, result } = run(VIRSH_DEBIAN_12, { driver: 'kvm2', arch: 'arm64' });
    expect(await result).toMatchObject({
      status: 'fail',
      detail:
        "minikube's kvm2 driver runs only on x64 (amd64) machines, not on arm64 (kubernetes/minikube#19959)",
      hint: 'Use docker, podman, qemu2 or virtualbox instead: set cluster.driver in qed.config.yaml (auto chooses from what this report finds).',
    });
    expect(runner.calls).toEqual([]);
    expect((await run(VIRSH_DEBIAN_12, { arch: 'arm64' }).result).status).toBe('skip');
  });

  it('treats a hanging virsh as a broken kvm2: a failure only when kvm2 is asked for', async () => {
    const needed = await run({ timeout: true }, { driver: 'kvm2' }).result;
    expect(needed).toMatchObject({ status: 'fail', detail: 'virsh did not finish in time' });
    expect(needed.hint).toContain('run it by hand');
    expect((await run({ timeout: true }).result).status).toBe('warn');
    expect((await run({ timeout: true }, { driver: 'docker' }).result).status).toBe('skip');
  });

  it('is for Linux and WSL only', () => {
    expect(kvm2Check.platforms).toEqual(['linux', 'wsl']);
  });
});
