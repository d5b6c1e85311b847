import type { OperatingSystem } from '@qed/core';
import type { CheckContext } from '../check-types.js';
import { defineCheck } from '../define-check.js';
import { hintFor } from '../hint-for.js';
import { firstLine, runTool } from '../run-tool.js';
import { driverNeed, hangIsBroken, reportBroken, reportMissing, reportUnsupported } from './driver-check.js';

/** The QEMU system emulator minikube runs for this CPU (it knows only these two). */
export function qemuProgram(arch: string): string {
  return arch === 'arm64' ? 'qemu-system-aarch64' : 'qemu-system-x86_64';
}

/**
 * Where minikube's qemu2 driver looks for UEFI firmware when no
 * --qemu-firmware-path is given; its driver status fails when the file is absent.
 */
export function qemuFirmwarePath(os: OperatingSystem, arch: string): string {
  const arm = arch === 'arm64';
  switch (os) {
    case 'windows':
      return 'C:\\Program Files\\qemu\\share\\edk2-x86_64-code.fd';
    case 'macos':
      return arm
        ? '/opt/homebrew/opt/qemu/share/qemu/edk2-aarch64-code.fd'
        : '/usr/local/opt/qemu/share/qemu/edk2-x86_64-code.fd';
    default:
      return arm ? '/usr/share/AAVMF/AAVMF_CODE.fd' : '/usr/share/OVMF/OVMF_CODE.fd';
  }
}

/** socket_vmnet as Homebrew (either prefix) or a source install puts it: minikube looks in these places. */
const SOCKET_VMNET_PREFIXES = ['', '/opt/homebrew', '/usr/local'];

const needOf = (ctx: CheckContext) =>
  driverNeed(ctx, 'qemu2', `${qemuProgram(ctx.platform.arch)} and its UEFI firmware`);

/**
 * What minikube's qemu2 driver needs: the system emulator for this CPU on PATH and
 * the UEFI firmware where minikube looks for it. On Linux, /dev/kvm open to this
 * user, or QEMU emulates the CPU (minikube goes on, ten times slower). On macOS
 * socket_vmnet is optional: without it the VM is on QEMU's builtin network.
 */
export const qemu2Check = defineCheck(
  'qemu2',
  'QEMU (qemu2)',
  hangIsBroken(needOf, async (ctx, report) => {
    const { os, arch } = ctx.platform;
    const program = qemuProgram(arch);
    const firmware = qemuFirmwarePath(os, arch);
    const need = needOf(ctx);
    const unsupported = reportUnsupported(ctx, report, need);
    if (unsupported) return unsupported;

    const linux = os === 'linux' || os === 'wsl';
    const [result, hasFirmware, kvm, vmnet] = await Promise.all([
      runTool(ctx, { command: program, args: ['--version'] }),
      ctx.pathExists(firmware),
      linux ? kvmAccess(ctx) : Promise.resolve(null),
      os === 'macos' ? socketVmnetInstalled(ctx) : Promise.resolve(false),
    ]);
    if (!result)
      return reportMissing(report, need, `${program} is not installed (not on PATH)`, installHint(os, arch));
    const version = /QEMU emulator version (\d+\.\d+(?:\.\d+)?)/.exec(result.stdout)?.[1] ?? null;
    if (result.exitCode !== 0 || !version) {
      return reportBroken(report, need, {
        detail: `${program} --version printed no version: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode ?? result.signal}`}`,
        hint: `Reinstall QEMU: ${installHint(os, arch)}`,
      });
    }
    if (!hasFirmware) {
      return reportBroken(report, need, {
        version,
        detail: `QEMU ${version}, but the UEFI firmware the qemu2 driver looks for is missing: ${firmware}`,
        hint: firmwareHint(os, arch),
      });
    }
    if (kvm === 'missing' || kvm === 'locked') {
      return reportBroken(report, need, {
        version,
        worst: 'warn',
        detail:
          kvm === 'missing'
            ? `QEMU ${version}, but there is no /dev/kvm: QEMU would emulate the CPU, and the node run about ten times slower`
            : `QEMU ${version}, but /dev/kvm is not open to this user: QEMU would emulate the CPU, and the node run about ten times slower`,
        hint:
          kvm === 'missing'
            ? 'Load the kvm module (sudo modprobe kvm_intel, or kvm_amd on AMD), or turn on VT-x / AMD-V in the BIOS/UEFI settings.'
            : 'Let your user open it: sudo usermod -aG kvm "$USER", then log out and back in.',
      });
    }
    const found = `QEMU ${version} (${program})`;
    const detail =
      kvm === 'usable'
        ? `${found} with KVM`
        : os === 'macos'
          ? `${found}; ${vmnet ? 'socket_vmnet found: the VM gets a network of its own' : "no socket_vmnet: minikube uses QEMU's builtin network, where `minikube service` and `minikube tunnel` do not work (optional: brew install socket_vmnet)"}`
          : `${found}; minikube marks the qemu2 driver experimental on Windows`;
    return report({ status: 'ok', version, required: need.required, detail });
  }),
);

async function kvmAccess(ctx: CheckContext): Promise<'usable' | 'locked' | 'missing'> {
  if (await ctx.canReadWrite('/dev/kvm')) return 'usable';
  return (await ctx.pathExists('/dev/kvm')) ? 'locked' : 'missing';
}

/** minikube picks the socket_vmnet network when both its client and its socket are where it looks. */
async function socketVmnetInstalled(ctx: CheckContext): Promise<boolean> {
  const anyOf = async (path: string) =>
    (await Promise.all(SOCKET_VMNET_PREFIXES.map((prefix) => ctx.pathExists(`${prefix}${path}`)))).some(
      Boolean,
    );
  const [client, socket] = await Promise.all([
    anyOf('/opt/socket_vmnet/bin/socket_vmnet_client'),
    anyOf('/var/run/socket_vmnet'),
  ]);
  return client && socket;
}

function installHint(os: OperatingSystem, arch: string): string {
  return hintFor(os, {
    macos: 'brew install qemu (the firmware comes with it).',
    windows: 'winget install SoftwareFreedomConservancy.QEMU, then add C:\\Program Files\\qemu to PATH.',
    linux:
      arch === 'arm64'
        ? 'sudo apt-get install qemu-system-arm qemu-efi-aarch64.'
        : 'sudo apt-get install qemu-system-x86 ovmf.',
  });
}

function firmwareHint(os: OperatingSystem, arch: string): string {
  return hintFor(os, {
    macos: 'Reinstall QEMU with Homebrew, which installs the firmware beside it: brew reinstall qemu.',
    windows: 'Reinstall QEMU into C:\\Program Files\\qemu, where minikube looks for the firmware.',
    linux:
      arch === 'arm64'
        ? 'Install it: sudo apt-get install qemu-efi-aarch64.'
        : 'Install it: sudo apt-get install ovmf. Where the distribution ships only OVMF_CODE_4M.fd or keeps it elsewhere (Fedora: /usr/share/edk2/ovmf), link that file there: on x64 minikube boots the VM with the BIOS and only checks that the firmware exists.',
  });
}
