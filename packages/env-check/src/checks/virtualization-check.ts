import type { ClusterDriver } from '@qed/core';
import type { CheckContext, CheckResult } from '../check-types.js';
import { type Report, defineCheck } from '../define-check.js';
import { firstLine, runTool } from '../run-tool.js';

/** Drivers that run the cluster in a container on the host's kernel: no hypervisor needed. */
const CONTAINER_DRIVERS: ReadonlySet<ClusterDriver> = new Set(['docker', 'podman', 'none']);

const PC_FIX =
  'Turn on VT-x / AMD-V (SVM) in the BIOS/UEFI settings, or set cluster.driver: docker in qed.config.yaml: the docker driver needs no hardware virtualisation.';
const WSL_FIX =
  'Turn on nested virtualisation: add nestedVirtualization=true under [wsl2] in %UserProfile%\\.wslconfig, then run wsl --shutdown; or set cluster.driver: docker in qed.config.yaml, which needs no KVM.';
const MAC_FIX =
  'Run on a Mac that is not itself a virtual machine, or set cluster.driver: docker in qed.config.yaml: the docker driver needs no hypervisor of its own.';

export const virtualizationCheck = defineCheck(
  'virtualization',
  'Hardware virtualisation',
  async (ctx, report) => {
    const driver = ctx.config.cluster.driver;
    switch (ctx.platform.os) {
      case 'windows':
        return report({ status: 'skip', detail: 'on Windows this is covered by the hyperv check' });
      case 'macos':
        return checkMacos(ctx, report, driver);
      default:
        return checkLinux(ctx, report, driver);
    }
  },
);

async function checkLinux(ctx: CheckContext, report: Report, driver: ClusterDriver): Promise<CheckResult> {
  const [kvm, cpuinfo] = await Promise.all([ctx.pathExists('/dev/kvm'), ctx.readTextFile('/proc/cpuinfo')]);
  const flag = cpuinfo === null ? null : cpuVirtualizationFlag(cpuinfo);
  if (kvm) {
    return report({
      status: 'ok',
      detail: `KVM is available (/dev/kvm)${flag ? `; the CPU has ${flag}` : ''}`,
    });
  }
  if (CONTAINER_DRIVERS.has(driver)) {
    return report({
      status: 'skip',
      detail: `no /dev/kvm${flag ? ` (the CPU has ${flag})` : ''}; not needed: driver ${driver} runs the cluster in a container`,
    });
  }
  if (flag) {
    // VirtualBox brings its own kernel module and needs only the CPU feature.
    if (driver === 'virtualbox')
      return report({ status: 'ok', detail: `the CPU has ${flag} (VirtualBox uses its own kernel module)` });
    return report({
      status: 'warn',
      detail: `the CPU has ${flag} but /dev/kvm is missing: the kvm module is not loaded`,
      hint:
        ctx.platform.os === 'wsl'
          ? WSL_FIX
          : `Load it: sudo modprobe ${flag === 'AMD-V' ? 'kvm_amd' : 'kvm_intel'}, and let your user open it: sudo usermod -aG kvm "$USER" (log out and back in); or use driver docker, which needs no KVM.`,
    });
  }
  const found =
    cpuinfo === null
      ? 'no /dev/kvm, and /proc/cpuinfo could not be read'
      : 'no /dev/kvm and no vmx/svm flag in /proc/cpuinfo';
  return noVirtualization(
    report,
    driver,
    `no hardware virtualisation found: ${found}`,
    ctx.platform.os === 'wsl' ? WSL_FIX : PC_FIX,
  );
}

async function checkMacos(ctx: CheckContext, report: Report, driver: ClusterDriver): Promise<CheckResult> {
  const result = await runTool(ctx, { command: 'sysctl', args: ['-n', 'kern.hv_support'] });
  const value = result?.exitCode === 0 ? result.stdout.trim() : null;
  if (value === '1')
    return report({ status: 'ok', detail: 'Hypervisor.framework is available (kern.hv_support=1)' });
  if (value === '0') {
    return noVirtualization(
      report,
      driver,
      'this Mac has no hypervisor support (kern.hv_support=0, as inside a virtual machine)',
      MAC_FIX,
    );
  }
  return report({
    status: 'warn',
    detail: `could not read kern.hv_support: ${result ? firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode}` : 'sysctl is not on PATH'}`,
    hint: 'Run `sysctl -n kern.hv_support`: 1 means the Mac can run minikube VMs.',
  });
}

/** Blocks only a driver that needs a hypervisor; with driver auto minikube may still pick docker. */
function noVirtualization(report: Report, driver: ClusterDriver, detail: string, hint: string): CheckResult {
  if (CONTAINER_DRIVERS.has(driver)) {
    return report({
      status: 'skip',
      detail: `${detail}; not needed: driver ${driver} runs the cluster in a container`,
    });
  }
  return report({
    status: driver === 'auto' ? 'warn' : 'fail',
    required: driver === 'auto' ? null : `hardware virtualisation for driver ${driver}`,
    detail,
    hint,
  });
}

/** VT-x shows as the vmx flag, AMD-V as svm, on the "flags" line of each processor. */
function cpuVirtualizationFlag(cpuinfo: string): 'VT-x' | 'AMD-V' | null {
  const flags = new Set(
    cpuinfo
      .split('\n')
      .filter((line) => /^flags\s*:/.test(line))
      .flatMap((line) =>
        line
          .slice(line.indexOf(':') + 1)
          .trim()
          .split(/\s+/),
      ),
  );
  if (flags.has('vmx')) return 'VT-x';
  if (flags.has('svm')) return 'AMD-V';
  return null;
}
