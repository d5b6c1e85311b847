import { type ClusterDriver, type OperatingSystem, QedError } from '@qed/core';
import type { DoctorFinding } from './cluster-facts.js';

/** Drivers that run the node as a container on the host's kernel: no hypervisor of their own. */
const CONTAINER_DRIVERS: ReadonlySet<string> = new Set(['docker', 'podman', 'none']);

export interface DriverChoice {
  driver: Exclude<ClusterDriver, 'auto'>;
  /** One sentence for the user: why this driver. */
  reason: string;
  source: 'option' | 'auto';
}

export interface DriverInput {
  os: OperatingSystem;
  requested: ClusterDriver;
  doctor: readonly DoctorFinding[];
  hypervVirtualSwitch?: string | undefined;
  hypervSwitches: readonly string[] | null;
}

/**
 * The guide's order: VirtualBox (it ran on a Mac with VirtualBox), Hyper-V on
 * Windows with a virtual switch, and the docker driver where no hypervisor is
 * usable. On Windows Hyper-V comes first (VirtualBox and Hyper-V fight over
 * VT-x when both are on); under WSL docker comes first (Docker Desktop's engine
 * is there, a VM inside WSL needs nested virtualisation). Only checks the doctor
 * marked ok count as usable for an automatic choice.
 */
export function chooseDriver(input: DriverInput): DriverChoice {
  const finding = (id: string) => input.doctor.find((f) => f.id === id);
  const usable = (id: string) => finding(id)?.status === 'ok';
  const virtualizationOff = finding('virtualization')?.status === 'fail';

  if (input.requested !== 'auto') {
    const choice: DriverChoice = {
      driver: input.requested,
      reason: `driver ${input.requested} was asked for (--driver or cluster.driver)`,
      source: 'option',
    };
    requireDriverUsable(choice.driver, input, finding, virtualizationOff);
    return choice;
  }

  const order: Exclude<ClusterDriver, 'auto'>[] =
    input.os === 'windows'
      ? ['hyperv', 'virtualbox', 'docker']
      : input.os === 'wsl'
        ? ['docker', 'virtualbox']
        : ['virtualbox', 'docker'];
  const skipped: string[] = [];
  for (const driver of order) {
    const needsVm = !CONTAINER_DRIVERS.has(driver);
    if (usable(driver) && !(needsVm && virtualizationOff)) {
      const passed = skipped.length ? `; not ${skipped.join(', not ')}` : '';
      return { driver, reason: `${autoReason(driver, input)}${passed}`, source: 'auto' };
    }
    skipped.push(`${driver} (${finding(driver)?.detail ?? (virtualizationOff && needsVm ? 'virtualisation is off' : 'not found by the doctor')})`);
  }
  throw new QedError('NO_DRIVER_AVAILABLE', `No minikube driver is usable on this machine: ${skipped.join('; ')}`, {
    hint:
      input.os === 'windows'
        ? 'Enable Hyper-V (and create a virtual switch), or install VirtualBox or Docker Desktop; run `qed-bootstrap doctor` for the details.'
        : 'Install VirtualBox, or Docker (the docker driver needs no hypervisor); run `qed-bootstrap doctor` for the details.',
    data: { tried: order },
  });
}

function autoReason(driver: string, input: DriverInput): string {
  switch (driver) {
    case 'hyperv':
      return input.hypervVirtualSwitch
        ? `Hyper-V is enabled on this Windows machine; the VM attaches to virtual switch "${input.hypervVirtualSwitch}"`
        : 'Hyper-V is enabled on this Windows machine; with no switch named, minikube attaches the VM to the first external switch or the "Default Switch"';
    case 'virtualbox':
      return 'VirtualBox is installed (the setup guide uses VirtualBox)';
    default:
      return 'no hypervisor is usable here, and the docker driver runs the node as a container';
  }
}

function requireDriverUsable(
  driver: string,
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
