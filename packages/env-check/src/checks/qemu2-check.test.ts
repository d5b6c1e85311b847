import type { ClusterDriver, OperatingSystem } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { QEMU_BROKEN, QEMU_DEBIAN_12, QEMU_HOMEBREW, QEMU_WINDOWS } from '../__fixtures__/qemu-outputs.js';
import { testContext } from '../__fixtures__/test-context.js';
import { qemu2Check, qemuFirmwarePath } from './qemu2-check.js';

type Answer = Parameters<FakeCommandRunner['on']>[2];

interface Machine {
  os?: OperatingSystem;
  arch?: string;
  driver?: ClusterDriver;
  paths?: string[];
  lockedPaths?: string[];
}

const LINUX_FIRMWARE = '/usr/share/OVMF/OVMF_CODE.fd';
const MAC_ARM_FIRMWARE = '/opt/homebrew/opt/qemu/share/qemu/edk2-aarch64-code.fd';

function run(program: string, answer: Answer, machine: Machine = {}) {
  const runner = new FakeCommandRunner().on(program, ['--version'], answer);
  const ctx = testContext({
    runner,
    os: machine.os ?? 'linux',
    platform: { arch: machine.arch ?? 'x64' },
    cluster: { driver: machine.driver ?? 'auto' },
    paths: machine.paths ?? ['/dev/kvm', LINUX_FIRMWARE],
    lockedPaths: machine.lockedPaths ?? [],
  });
  return { runner, result: qemu2Check.run(ctx) };
}

describe('qemu2Check', () => {
  it('finds QEMU with its firmware and KVM on Linux', async () => {
    const { runner, result } = run('qemu-system-x86_64', QEMU_DEBIAN_12, { driver: 'qemu2' });
    expect(await result).toMatchObject({
      status: 'ok',
      version: '7.2.15',
      detail: 'QEMU 7.2.15 (qemu-system-x86_64) with KVM',
      required: 'qemu-system-x86_64 and its UEFI firmware (cluster.driver is qemu2)',
    });
    expect(runner.commandLines).toEqual(['qemu-system-x86_64 --version']);
  });

  it.each([
    ['macos', 'arm64', '/opt/homebrew/opt/qemu/share/qemu/edk2-aarch64-code.fd'],
    ['macos', 'x64', '/usr/local/opt/qemu/share/qemu/edk2-x86_64-code.fd'],
    ['linux', 'x64', '/usr/share/OVMF/OVMF_CODE.fd'],
    ['linux', 'arm64', '/usr/share/AAVMF/AAVMF_CODE.fd'],
    ['windows', 'x64', 'C:\\Program Files\\qemu\\share\\edk2-x86_64-code.fd'],
  ] as const)('looks for the firmware where minikube does on %s/%s', (os, arch, path) => {
    expect(qemuFirmwarePath(os, arch)).toBe(path);
  });

  it('runs the aarch64 emulator on Apple silicon, and says whether socket_vmnet gives the VM its own network', async () => {
    const without = await run('qemu-system-aarch64', QEMU_HOMEBREW, {
      os: 'macos',
      arch: 'arm64',
      paths: [MAC_ARM_FIRMWARE],
    }).result;
    expect(without).toMatchObject({ status: 'ok', version: '10.0.2' });
    expect(without.detail).toBe(
      "QEMU 10.0.2 (qemu-system-aarch64); no socket_vmnet: minikube uses QEMU's builtin network, where `minikube service` and `minikube tunnel` do not work (optional: brew install socket_vmnet)",
    );
    const withVmnet = await run('qemu-system-aarch64', QEMU_HOMEBREW, {
      os: 'macos',
      arch: 'arm64',
      paths: [
        MAC_ARM_FIRMWARE,
        '/opt/homebrew/opt/socket_vmnet/bin/socket_vmnet_client',
        '/opt/homebrew/var/run/socket_vmnet',
      ],
    }).result;
    expect(withVmnet.detail).toBe(
      'QEMU 10.0.2 (qemu-system-aarch64); socket_vmnet found: the VM gets a network of its own',
    );
  });

  it('says minikube rates qemu2 experimental on Windows', async () => {
    const result = await run('qemu-system-x86_64', QEMU_WINDOWS, {
      os: 'windows',
      paths: ['C:\\Program Files\\qemu\\share\\edk2-x86_64-code.fd'],
    }).result;
    expect(result).toMatchObject({
      status: 'ok',
      version: '9.2.0',
      detail: 'QEMU 9.2.0 (qemu-system-x86_64); minikube marks the qemu2 driver experimental on Windows',
    });
  });

  it.each([
    ['linux', 'x64', 'sudo apt-get install qemu-system-x86 ovmf.'],
    ['linux', 'arm64', 'sudo apt-get install qemu-system-arm qemu-efi-aarch64.'],
    ['macos', 'arm64', 'brew install qemu (the firmware comes with it).'],
    [
      'windows',
      'x64',
      'winget install SoftwareFreedomConservancy.QEMU, then add C:\\Program Files\\qemu to PATH.',
    ],
  ] as const)(
    'fails for qemu2 when QEMU is missing on %s/%s, with the install command',
    async (os, arch, hint) => {
      const program = arch === 'arm64' ? 'qemu-system-aarch64' : 'qemu-system-x86_64';
      const result = await run(program, { notInstalled: true }, { os, arch, driver: 'qemu2' }).result;
      expect(result).toMatchObject({
        status: 'fail',
        detail: `${program} is not installed (not on PATH)`,
        hint,
      });
    },
  );

  it('is skipped when QEMU is missing and not asked for', async () => {
    expect(await run('qemu-system-x86_64', { notInstalled: true }).result).toMatchObject({
      status: 'skip',
      detail: 'qemu-system-x86_64 is not installed (not on PATH); not needed for driver auto',
    });
  });

  it('fails for qemu2 when the firmware is missing, saying where minikube looks', async () => {
    const result = await run('qemu-system-x86_64', QEMU_DEBIAN_12, { driver: 'qemu2', paths: ['/dev/kvm'] })
      .result;
    expect(result).toMatchObject({
      status: 'fail',
      version: '7.2.15',
      detail:
        'QEMU 7.2.15, but the UEFI firmware the qemu2 driver looks for is missing: /usr/share/OVMF/OVMF_CODE.fd',
    });
    expect(result.hint).toMatch(/^Install it: sudo apt-get install ovmf\./);
  });

  it('fails for qemu2, and warns under auto, when the emulator is broken', async () => {
    const needed = await run('qemu-system-x86_64', QEMU_BROKEN, { driver: 'qemu2' }).result;
    expect(needed).toMatchObject({
      status: 'fail',
      detail:
        'qemu-system-x86_64 --version printed no version: qemu-system-x86_64: error while loading shared libraries: libslirp.so.0: cannot open shared object file: No such file or directory',
    });
    expect((await run('qemu-system-x86_64', QEMU_BROKEN).result).status).toBe('warn');
  });

  it.each([
    [[LINUX_FIRMWARE], [], 'there is no /dev/kvm', 'sudo modprobe kvm_intel'],
    [[LINUX_FIRMWARE], ['/dev/kvm'], '/dev/kvm is not open to this user', 'sudo usermod -aG kvm "$USER"'],
  ])(
    'only warns on Linux without a usable /dev/kvm, even for qemu2: minikube goes on, emulating',
    async (paths, lockedPaths, detail, hint) => {
      const result = await run('qemu-system-x86_64', QEMU_DEBIAN_12, { driver: 'qemu2', paths, lockedPaths })
        .result;
      expect(result.status).toBe('warn');
      expect(result.detail).toContain(detail);
      expect(result.detail).toContain('ten times slower');
      expect(result.hint).toContain(hint);
    },
  );

  it('refuses a CPU minikube has no QEMU for, without running anything', async () => {
    const { runner, result } = run('qemu-system-x86_64', QEMU_DEBIAN_12, {
      os: 'windows',
      arch: 'arm64',
      driver: 'qemu2',
    });
    expect(await result).toMatchObject({
      status: 'fail',
      detail: "on Windows minikube's qemu2 driver runs only on x64, not on arm64",
    });
    expect(runner.calls).toEqual([]);
  });
});
