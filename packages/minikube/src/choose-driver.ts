import {
  type ClusterDriver,
  describePlatform,
  driverSupport,
  formatDriverList,
  type MinikubeDriver,
  normalizeClusterDriver,
  type OperatingSystem,
  QedError,
  suggestedDrivers,
  supportedDrivers,
} from '@qed/core';
import type { DoctorFinding } from './cluster-facts.js';

/** Drivers that run the node as a container on the host's kernel: no hypervisor of their own. */
const CONTAINER_DRIVERS: ReadonlySet<string> = new Set(['docker', 'podman', 'none']);

export interface DriverChoice {
  driver: MinikubeDriver;
  /** One sentence for the user: why this driver. */
  reason: string;
  source: 'option' | 'auto';
}

export interface DriverInput {
  os: OperatingSystem;
  /**
   * The CPU as Node names it (PlatformFacts.arch, ClusterFacts.arch: x64, arm64,
   * …). Absent: unknown, and only the per-OS rules apply.
   */
  arch?: string | undefined;
  requested: ClusterDriver;
  doctor: readonly DoctorFinding[];
  hypervVirtualSwitch?: string | undefined;
  hypervSwitches: readonly string[] | null;
}

/**
 * The automatic order per OS. It starts with the guide's order: VirtualBox (it
 * ran on a Mac with VirtualBox), Hyper-V first on Windows (VirtualBox and Hyper-V
 * fight over VT-x when both are on), docker first under WSL (Docker Desktop's
 * engine is there; a VM inside WSL needs nested virtualisation), and the docker
 * driver where no hypervisor is usable. Machines with none of those fall through
 * to the drivers minikube rates stable there: KVM through libvirt, QEMU and podman
 * on Linux, vfkit and QEMU on macOS. Drivers minikube marks experimental or
 * deprecated on an OS, and `none` (it turns this machine into the node and needs
 * root), are used only when asked for. A driver minikube does not offer on this
 * CPU (VirtualBox on Apple silicon, kvm2 on arm64) is passed over with the reason.
 */
const AUTO_ORDER: Readonly<Record<OperatingSystem, readonly MinikubeDriver[]>> = {
  windows: ['hyperv', 'virtualbox', 'docker'],
  wsl: ['docker', 'virtualbox', 'kvm2', 'qemu2', 'podman'],
  linux: ['virtualbox', 'docker', 'kvm2', 'qemu2', 'podman'],
  macos: ['virtualbox', 'docker', 'vfkit', 'qemu2'],
};

/**
 * Picks the minikube driver and says why. A driver asked for (--driver or
 * cluster.driver) must be one minikube offers on this OS and CPU and must not
 * have failed the doctor; `auto` takes the first driver in the OS's order that
 * the doctor marked ok, listing what it passed over and why.
 */
export function chooseDriver(input: DriverInput): DriverChoice {
  const finding = (id: string) => input.doctor.find((f) => f.id === id);
  const usable = (id: string) => finding(id)?.status === 'ok';
  const virtualizationOff = finding('virtualization')?.status === 'fail';

  const requested = normalizeClusterDriver(input.requested);
  if (requested !== 'auto') {
    const driver = requireSupported(requested ?? input.requested, input);
    requireDriverUsable(driver, input, finding, virtualizationOff);
    return { driver, reason: askedReason(driver, input), source: 'option' };
  }

  const order = AUTO_ORDER[input.os];
  const needsVm = (driver: string) => !CONTAINER_DRIVERS.has(driver);
  const candidate = (driver: MinikubeDriver) =>
    driverSupport(driver, input.os, input.arch).supported && usable(driver) && !(needsVm(driver) && virtualizationOff);
  const skipped: string[] = [];
  for (const [i, driver] of order.entries()) {
    const support = driverSupport(driver, input.os, input.arch);
    if (!support.supported) {
      skipped.push(`${driver} (${support.reason})`);
      continue;
    }
    if (candidate(driver)) {
      const passed = skipped.length ? `; not ${skipped.join(', not ')}` : '';
      const laterUsable = order.slice(i + 1).filter(candidate);
      return { driver, reason: `${autoReason(driver, input, finding(driver), laterUsable)}${passed}`, source: 'auto' };
    }
    skipped.push(`${driver} (${finding(driver)?.detail ?? (virtualizationOff && needsVm(driver) ? 'virtualisation is off' : 'not found by the doctor')})`);
  }
  throw new QedError('NO_DRIVER_AVAILABLE', `No minikube driver is usable on this machine: ${skipped.join('; ')}`, {
    hint: noDriverHint(input),
    data: { tried: [...order] },
  });
}

function autoReason(
  driver: MinikubeDriver,
  input: DriverInput,
  found: DoctorFinding | undefined,
  laterUsable: readonly MinikubeDriver[],
): string {
  const seen = found?.detail ? ` (${found.detail})` : '';
  switch (driver) {
    case 'hyperv':
      return input.hypervVirtualSwitch
        ? `Hyper-V is enabled on this Windows machine; the VM attaches to virtual switch "${input.hypervVirtualSwitch}"`
        : 'Hyper-V is enabled on this Windows machine; with no switch named, minikube attaches the VM to the first external switch or the "Default Switch"';
    case 'virtualbox':
      return 'VirtualBox is installed (the setup guide uses VirtualBox)';
    case 'docker':
      return input.os === 'wsl'
        ? "under WSL the docker driver comes first: it runs the node as a container on Docker's engine, where a VM would need nested virtualisation"
        : laterUsable.length === 0
          ? 'no hypervisor is usable here, and the docker driver runs the node as a container'
          : `the docker driver runs the node as a container and comes before ${laterUsable.join(' and ')} in the automatic order (set cluster.driver to use ${laterUsable.length === 1 ? 'it' : 'one of them'})`;
    case 'kvm2':
      return `libvirt and KVM are usable${seen}, and the kvm2 driver runs the node in a KVM VM`;
    case 'qemu2':
      return `QEMU is installed${seen}, and the qemu2 driver runs the node in a QEMU VM`;
    case 'vfkit':
      return `vfkit is installed${seen}, and the vfkit driver runs the node in a VM on macOS's Virtualization framework`;
    case 'podman':
      return `podman is usable${seen}, and the podman driver runs the node as a container`;
    default:
      return `the doctor found driver ${driver} usable${seen}`;
  }
}

function askedReason(driver: MinikubeDriver, input: DriverInput): string {
  const asked = `driver ${driver} was asked for (--driver or cluster.driver)`;
  if (driver === 'none') {
    return `${asked}: Kubernetes runs directly on this machine, with no VM or container around it; minikube needs root (or passwordless sudo) for it and changes this machine's network rules, containers and /etc`;
  }
  const support = driverSupport(driver, input.os, input.arch);
  return support.supported && support.stability !== 'stable'
    ? `${asked}; minikube marks it ${support.stability} on ${describePlatform(input.os, input.arch)}`
    : asked;
}

/** A driver minikube does not offer here is refused before the doctor's findings are read. */
function requireSupported(driver: string, input: DriverInput): MinikubeDriver {
  const support = driverSupport(driver, input.os, input.arch);
  if (support.supported) return driver as MinikubeDriver;
  const where = describePlatform(input.os, input.arch);
  const offered = supportedDrivers(input.os, input.arch);
  throw new QedError(
    'DRIVER_NOT_SUPPORTED',
    `minikube driver ${driver} cannot be used on ${where}: ${support.reason}. The drivers minikube offers there: ${formatDriverList(offered)}`,
    {
      hint: `Use ${suggestedDrivers(input.os, input.arch)} instead: set cluster.driver in qed.config.yaml or pass --driver (cluster.driver: auto picks one from what \`qed-bootstrap doctor\` finds).${driver === 'hyperkit' && input.os === 'macos' ? ' vfkit takes hyperkit\'s place: brew install vfkit.' : ''}`,
      data: { driver, os: input.os, arch: input.arch ?? null, supported: offered.map((d) => d.driver) },
    },
  );
}

function noDriverHint(input: DriverInput): string {
  const details = 'run `qed-bootstrap doctor` for the details.';
  switch (input.os) {
    case 'windows':
      return `Enable Hyper-V (and create a virtual switch), or install VirtualBox or Docker Desktop; ${details}`;
    case 'macos':
      return input.arch === 'arm64'
        ? `Install Docker Desktop (the docker driver needs no hypervisor of its own), or vfkit (brew install vfkit) or QEMU (brew install qemu); ${details}`
        : `Install VirtualBox, Docker Desktop (the docker driver needs no hypervisor of its own), or vfkit (brew install vfkit); ${details}`;
    default:
      return `Install VirtualBox, or Docker (the docker driver needs no hypervisor), or libvirt for the kvm2 driver (sudo apt-get install libvirt-daemon-system, then sudo usermod -aG libvirt "$USER"); ${details}`;
  }
}

function requireDriverUsable(
  driver: MinikubeDriver,
  input: DriverInput,
  finding: (id: string) => DoctorFinding | undefined,
  virtualizationOff: boolean,
): void {
  const found = finding(driver);
  if (found?.status === 'fail') {
    throw new QedError('DRIVER_NOT_AVAILABLE', `minikube driver ${driver} cannot be used: ${found.detail ?? 'the doctor found a problem'}`, {
      hint: found.hint ?? `Install ${driver}, or pass --driver with another driver (run \`qed-bootstrap doctor\` to see which work).`,
      data: { driver },
    });
  }
  if (!CONTAINER_DRIVERS.has(driver) && virtualizationOff) {
    const v = finding('virtualization');
    throw new QedError(
      'VIRTUALIZATION_DISABLED',
      `Driver ${driver} runs a VM, but hardware virtualisation is not available: ${v?.detail ?? 'VT-x / AMD-V is off'}`,
      { hint: v?.hint ?? 'Turn on VT-x / AMD-V in the BIOS/UEFI settings, or use --driver docker.', data: { driver } },
    );
  }
  if (driver === 'hyperv') requireSwitch(input);
}

/** Hyper-V compares switch names without regard to case; only checked when the switches were listed. */
function requireSwitch(input: DriverInput): void {
  const wanted = input.hypervVirtualSwitch;
  if (!wanted || input.hypervSwitches === null) return;
  if (input.hypervSwitches.some((s) => s.toLowerCase() === wanted.toLowerCase())) return;
  const listed = input.hypervSwitches.map((s) => `"${s}"`).join(', ');
  throw new QedError(
    'HYPERV_SWITCH_MISSING',
    `Hyper-V virtual switch "${wanted}" does not exist; ${listed ? `the switches are: ${listed}` : 'there are no virtual switches'}`,
    {
      hint: `${listed ? `Pass --hyperv-virtual-switch with one of ${listed}, or create` : 'Create'} an External switch in PowerShell run as administrator: New-VMSwitch -Name "${wanted}" -NetAdapterName "<adapter from Get-NetAdapter>" -AllowManagementOS $true.`,
      data: { wanted, switches: [...input.hypervSwitches] },
    },
  );
}
