import type { CommandResult } from '@qed/core';
import type { CheckContext } from '../check-types.js';
import { defineCheck } from '../define-check.js';
import { runTool } from '../run-tool.js';
import { driverNeed, hangIsBroken, reportBroken, reportMissing, reportUnsupported } from './driver-check.js';

/** minikube's kvm2 driver talks to the system libvirt unless --kvm-qemu-uri says otherwise. */
export const LIBVIRT_URI = 'qemu:///system';
export const VIRSH_VERSION_ARGS = ['--connect', LIBVIRT_URI, 'version'] as const;

const INSTALL_HINT =
  'Install libvirt and let your user manage it: sudo apt-get install libvirt-daemon-system libvirt-clients (Fedora: sudo dnf install @virtualization), then sudo usermod -aG libvirt "$USER" and log out and back in.';
const GROUP_HINT =
  'Let your user manage libvirt: sudo usermod -aG libvirt "$USER", then log out and back in (or run newgrp libvirt).';
const START_HINT =
  "Start libvirt's daemon: sudo systemctl enable --now libvirtd (with libvirt's modular daemons: sudo systemctl enable --now virtqemud.socket).";

const needOf = (ctx: CheckContext) =>
  driverNeed(ctx, 'kvm2', `libvirt answering at ${LIBVIRT_URI}, and /dev/kvm`);

/**
 * Linux only: what minikube's kvm2 driver needs. virsh answering on
 * qemu:///system proves libvirt is installed, its daemon runs and this user may
 * use it (the group minikube itself asks about); /dev/kvm proves libvirt can give
 * the VM hardware virtualisation. The device need not be open to this user:
 * libvirt's daemon opens it, not minikube.
 */
export const kvm2Check = defineCheck(
  'kvm2',
  'KVM and libvirt (kvm2)',
  hangIsBroken(needOf, async (ctx, report) => {
    const need = needOf(ctx);
    const unsupported = reportUnsupported(ctx, report, need);
    if (unsupported) return unsupported;
    const [kvm, result] = await Promise.all([
      ctx.pathExists('/dev/kvm'),
      runTool(ctx, { command: 'virsh', args: VIRSH_VERSION_ARGS }),
    ]);
    if (!result)
      return reportMissing(report, need, "libvirt's virsh is not installed (not on PATH)", INSTALL_HINT);
    const libvirt = /^Using library: libvirt (\d+\.\d+\.\d+)/m.exec(result.stdout)?.[1] ?? null;
    if (result.exitCode !== 0 || !libvirt) return reportBroken(report, need, connectionProblem(result));
    const qemu = /^Running hypervisor: QEMU (\S+)/m.exec(result.stdout)?.[1];
    const found = `libvirt ${libvirt}${qemu ? ` (QEMU ${qemu})` : ''} at ${LIBVIRT_URI}`;
    if (!kvm) {
      return reportBroken(report, need, {
        version: libvirt,
        detail: `${found} answers, but /dev/kvm is missing: without KVM libvirt can only emulate, and the kvm2 driver asks for KVM`,
        hint: noKvmHint(ctx),
      });
    }
    return report({
      status: 'ok',
      version: libvirt,
      required: need.required,
      detail: `${found}; /dev/kvm present`,
    });
  }),
  { platforms: ['linux', 'wsl'] },
);

/** virsh prints "failed to connect to the hypervisor", then the cause on a second error line. */
function connectionProblem(result: CommandResult): { detail: string; hint: string } {
  const errors = `${result.stderr}\n${result.stdout}`
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('error:'))
    .map((line) => line.slice('error:'.length).trim());
  const cause = errors.at(-1) || `virsh exited with ${result.exitCode ?? result.signal}`;
  if (/permission denied|authentication (unavailable|failed)|not authorized|polkit/i.test(cause)) {
    return { detail: `libvirt refused this user at ${LIBVIRT_URI}: ${cause}`, hint: GROUP_HINT };
  }
  if (/no such file or directory|connection refused/i.test(cause)) {
    return { detail: `libvirt's daemon is not running: ${cause}`, hint: START_HINT };
  }
  return {
    detail: `virsh could not reach libvirt at ${LIBVIRT_URI}: ${cause}`,
    hint: `Run \`virsh ${VIRSH_VERSION_ARGS.join(' ')}\` to see what is wrong.`,
  };
}

function noKvmHint(ctx: CheckContext): string {
  return ctx.platform.os === 'wsl'
    ? 'Turn on nested virtualisation: add nestedVirtualization=true under [wsl2] in %UserProfile%\\.wslconfig, then run wsl --shutdown.'
    : 'Load the kvm module (sudo modprobe kvm_intel, or kvm_amd on AMD), or turn on VT-x / AMD-V in the BIOS/UEFI settings.';
}
