import type { CommandResult } from '@qed/core';
import type { CheckResult } from '../check-types.js';
import { type Report, defineCheck } from '../define-check.js';
import { firstLine, runTool } from '../run-tool.js';

const POWERSHELL = 'powershell.exe';
export const HYPERV_FEATURE_ARGS = [
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  '(Get-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-All).State',
] as const;
export const VM_SWITCH_ARGS = [
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  'Get-VMSwitch | Select-Object Name, SwitchType | ConvertTo-Json',
] as const;

const ENABLE_HINT =
  'In PowerShell run as administrator: Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All, then restart Windows.';
const ELEVATE_HINT = 'Run `qed-bootstrap doctor` from a PowerShell started with "Run as administrator".';

type FeatureState =
  | { kind: 'enabled' | 'disabled' | 'restart-pending' | 'needs-admin' | 'unavailable' }
  | { kind: 'unknown'; message: string };

interface VmSwitch {
  name: string;
  type: string;
}

type Switches =
  | { kind: 'listed'; switches: VmSwitch[] }
  | { kind: 'needs-admin' }
  | { kind: 'unknown'; message: string };

/** Windows only: the Hyper-V feature, and the virtual switch the hyperv driver attaches the VM to. */
export const hypervCheck = defineCheck('hyperv', 'Hyper-V', async (ctx, report) => {
  if (ctx.platform.os !== 'windows') {
    return report({ status: 'skip', detail: 'Hyper-V exists only on Windows' });
  }
  const driver = ctx.config.cluster.driver;
  const wanted = ctx.config.cluster.hypervVirtualSwitch;
  const needed = driver === 'hyperv';
  const required = needed
    ? `enabled, with ${wanted ? `virtual switch "${wanted}"` : 'a virtual switch'}`
    : null;

  // Each PowerShell start takes a second or two: run both at once, and list switches only when they matter.
  const [featureRun, switchRun] = await Promise.all([
    runTool(ctx, { command: POWERSHELL, args: HYPERV_FEATURE_ARGS }),
    needed ? runTool(ctx, { command: POWERSHELL, args: VM_SWITCH_ARGS }) : Promise.resolve(null),
  ]);
  if (!featureRun) {
    return report({
      status: needed ? 'fail' : 'warn',
      required,
      detail: 'powershell.exe is not on PATH, so Hyper-V cannot be checked',
      hint: 'Add %SystemRoot%\\System32\\WindowsPowerShell\\v1.0 back to PATH.',
    });
  }
  const feature = readFeatureState(featureRun);

  if (!needed) {
    switch (feature.kind) {
      case 'enabled':
        return report({ status: 'ok', detail: `Hyper-V is enabled (not used: driver ${driver})` });
      case 'disabled':
      case 'unavailable':
        return report({ status: 'skip', detail: `Hyper-V is not enabled; not needed for driver ${driver}` });
      case 'restart-pending':
        return report({
          status: 'warn',
          detail: 'Hyper-V was just turned on or off and waits for a restart',
          hint: 'Restart Windows before creating the cluster.',
        });
      case 'needs-admin':
        return report({
          status: 'warn',
          detail: 'could not read the Hyper-V feature state without administrator rights',
          hint: ELEVATE_HINT,
        });
      default:
        return report({
          status: 'warn',
          detail: `could not read the Hyper-V feature state: ${feature.message}`,
          hint: ELEVATE_HINT,
        });
    }
  }

  switch (feature.kind) {
    case 'disabled':
      return report({
        status: 'fail',
        required,
        detail: 'the Hyper-V feature is disabled',
        hint: ENABLE_HINT,
      });
    case 'restart-pending':
      return report({
        status: 'fail',
        required,
        detail: 'Hyper-V was just turned on or off and Windows has not restarted since',
        hint: 'Restart Windows, then run doctor again.',
      });
    case 'unavailable':
      return report({
        status: 'fail',
        required,
        detail: 'this edition of Windows has no Hyper-V (Windows Home has none)',
        hint: 'Set cluster.driver to docker (Docker Desktop) or virtualbox in qed.config.yaml, or use Windows Pro, Enterprise or Education.',
      });
    case 'needs-admin':
      return report({
        status: 'warn',
        required,
        detail: 'could not read the Hyper-V feature state without administrator rights',
        hint: ELEVATE_HINT,
      });
    case 'unknown':
      return report({
        status: 'warn',
        required,
        detail: `could not read the Hyper-V feature state: ${feature.message}`,
        hint: ELEVATE_HINT,
      });
    case 'enabled':
      return reportSwitch(report, switchRun ? readSwitches(switchRun) : null, wanted, required);
  }
});

function reportSwitch(
  report: Report,
  switches: Switches | null,
  wanted: string | undefined,
  required: string | null,
): CheckResult {
  const createHint = (name: string) =>
    `Create an External switch in PowerShell run as administrator: Get-NetAdapter (to find your network adapter), then New-VMSwitch -Name "${name}" -NetAdapterName "<adapter>" -AllowManagementOS $true; or use Hyper-V Manager > Virtual Switch Manager.`;
  if (switches?.kind !== 'listed') {
    return report({
      status: 'warn',
      required,
      detail: `Hyper-V is enabled, but the virtual switches could not be listed${switches?.kind === 'unknown' ? `: ${switches.message}` : ' without administrator rights'}`,
      hint: `${ELEVATE_HINT} (Members of the "Hyper-V Administrators" group can list switches too.)`,
    });
  }
  const listed = switches.switches;
  // The names go on as data too: the cluster backend checks a switch asked for on the command line against them.
  const withSwitches: Report = (outcome) => report({ ...outcome, facts: { hypervSwitches: listed.map((s) => s.name) } });
  const described = listed.map((s) => `"${s.name}" (${s.type})`).join(', ');
  if (!wanted) {
    if (listed.length === 0) {
      return withSwitches({
        status: 'warn',
        required,
        detail: 'Hyper-V is enabled but there is no virtual switch for the VM',
        hint: `${createHint('minikube')} Then set cluster.hypervVirtualSwitch: minikube in qed.config.yaml.`,
      });
    }
    return withSwitches({ status: 'ok', required, detail: `Hyper-V is enabled; virtual switches: ${described}` });
  }
  // Hyper-V compares switch names without regard to case.
  const found = listed.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
  if (found) {
    return withSwitches({
      status: 'ok',
      required,
      detail: `Hyper-V is enabled; virtual switch "${found.name}" (${found.type})`,
    });
  }
  if (listed.length === 0) {
    return withSwitches({
      status: 'fail',
      required,
      detail: `virtual switch "${wanted}" (cluster.hypervVirtualSwitch) does not exist, and there are no virtual switches at all`,
      hint: createHint(wanted),
    });
  }
  return withSwitches({
    status: 'fail',
    required,
    detail: `virtual switch "${wanted}" (cluster.hypervVirtualSwitch) does not exist; the switches are: ${described}`,
    hint: `Set cluster.hypervVirtualSwitch in qed.config.yaml to one of ${listed.map((s) => `"${s.name}"`).join(', ')}, or ${lowerFirst(createHint(wanted))}`,
  });
}

/** "Enabled" / "Disabled" / "EnablePending"; nothing when the edition has no such feature. */
function readFeatureState(run: CommandResult): FeatureState {
  const output = clean(run.stdout);
  const error = clean(run.stderr);
  if (/requires elevation|access is denied|administrator/i.test(error)) return { kind: 'needs-admin' };
  if (run.exitCode === 0 || output !== '') {
    if (/^Enabled$/i.test(output)) return { kind: 'enabled' };
    if (/^Disabled/i.test(output)) return { kind: 'disabled' };
    if (/Pending$/i.test(output)) return { kind: 'restart-pending' };
    if (output === '' && error === '') return { kind: 'unavailable' };
  }
  if (/feature name .* is unknown|not recognized/i.test(error)) return { kind: 'unavailable' };
  return { kind: 'unknown', message: firstLine(error || output) || `exit code ${run.exitCode}` };
}

/**
 * ConvertTo-Json prints one switch as an object, several as an array, none as
 * nothing; SwitchType is the enum's number (0 Private, 1 Internal, 2 External)
 * in Windows PowerShell, its name where enums are written as strings.
 */
function readSwitches(run: CommandResult): Switches {
  const error = clean(run.stderr);
  if (run.exitCode !== 0 || error !== '') {
    if (/permission|access is denied|administrator/i.test(error)) return { kind: 'needs-admin' };
    return { kind: 'unknown', message: firstLine(error) || `exit code ${run.exitCode}` };
  }
  const output = clean(run.stdout);
  if (output === '') return { kind: 'listed', switches: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return { kind: 'unknown', message: `unexpected Get-VMSwitch output: ${firstLine(output)}` };
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const switches = items.flatMap((item: unknown): VmSwitch[] => {
    if (item === null || typeof item !== 'object') return [];
    const { Name, SwitchType } = item as { Name?: unknown; SwitchType?: unknown };
    if (typeof Name !== 'string') return [];
    const type =
      typeof SwitchType === 'number'
        ? (SWITCH_TYPES[SwitchType] ?? `type ${SwitchType}`)
        : String(SwitchType ?? 'unknown');
    return [{ name: Name, type }];
  });
  return { kind: 'listed', switches };
}

const SWITCH_TYPES: Readonly<Record<number, string>> = { 0: 'Private', 1: 'Internal', 2: 'External' };

/** Windows PowerShell may start its output with a byte-order mark and ends lines with CRLF. */
function clean(text: string): string {
  return text.replace(/^\uFEFF/, '').trim();
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
