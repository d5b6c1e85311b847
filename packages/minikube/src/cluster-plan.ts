import { type ClusterConfig, type ClusterDriver, type QedConfig, QedError } from '@qed/core';
import { type DriverChoice, chooseDriver } from './choose-driver.js';
import type { ClusterFacts, ClusterSettings, ClusterState } from './cluster-facts.js';
import { hasNoVm, nodeIsHost } from './driver-traits.js';
import { requireUsableMinikube } from './minikube-version.js';
import { mountString } from './node-path.js';
import { nodeRegistryHost } from './node-registry.js';
import { validateProfileName } from './profile-name.js';

export type { ContainerRuntime } from '@qed/core';

/** What `cluster up` is asked for: the config's cluster section with the CLI's flags applied. */
export interface ClusterOptions extends ClusterConfig {
  /** HOST:PORT of the local registry (config.registry.host). */
  registryHost: string;
  /** Host folder with the hostPath volume data (config.dataRoot), absolute. */
  dataRoot: string;
}

/** CLI flags of `cluster up`; each one overrides the config. */
export type ClusterFlags = Partial<ClusterConfig>;

export function clusterOptionsFrom(config: QedConfig, flags: ClusterFlags = {}): ClusterOptions {
  const c = config.cluster;
  const hypervVirtualSwitch = flags.hypervVirtualSwitch ?? c.hypervVirtualSwitch;
  const kubernetesVersion = flags.kubernetesVersion ?? c.kubernetesVersion;
  const containerRuntime = flags.containerRuntime ?? c.containerRuntime;
  const extraConfig = flags.extraConfig ?? c.extraConfig;
  return {
    profile: flags.profile ?? c.profile,
    driver: flags.driver ?? c.driver,
    ...(hypervVirtualSwitch ? { hypervVirtualSwitch } : {}),
    cpus: flags.cpus ?? c.cpus,
    memoryMb: flags.memoryMb ?? c.memoryMb,
    diskSizeMb: flags.diskSizeMb ?? c.diskSizeMb,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    ...(containerRuntime ? { containerRuntime } : {}),
    ...(extraConfig?.length ? { extraConfig: [...extraConfig] } : {}),
    registryHost: config.registry.host,
    dataRoot: config.dataRoot,
  };
}

export interface SettingDifference {
  setting: 'driver' | 'cpus' | 'memory' | 'disk-size' | 'kubernetes-version' | 'container-runtime' | 'insecure-registry' | 'mount' | 'hyperv-virtual-switch';
  current: string;
  wanted: string;
  /** Why this one cannot be changed in place. */
  note: string;
}

export interface PlannedCommand {
  command: string;
  args: string[];
  /** Shown with --dry-run and as progress. */
  why: string;
  kind: 'delete' | 'start';
}

export type ClusterAction = 'none' | 'start' | 'create' | 'recreate';

/** The settings a profile is created with: what minikube records, and the --extra-config entries. */
export interface DesiredSettings extends ClusterSettings {
  extraConfig: string[];
}

export interface ClusterPlan {
  profile: string;
  action: ClusterAction;
  /** The state found, for the message. */
  found: ClusterState;
  driver: DriverChoice;
  /** The settings the cluster is (re)created with. */
  desired: DesiredSettings;
  differences: SettingDifference[];
  steps: PlannedCommand[];
  /** Recreating deletes the node and what lives only inside it: apply refuses without consent. */
  needsConsent: boolean;
  /** One line per point the user should read (driver choice, what differs, manual steps). */
  notes: string[];
}

/**
 * The plain-HTTP registries the node's runtime is told about: the local registry
 * under the one address the node pulls it from. This machine's own 127.0.0.1:PORT
 * is not added for a VM or a node container: there it is the node itself, where
 * no registry listens (and Docker trusts 127.0.0.0/8 without being told).
 */
export function insecureRegistries(driver: string, registryHost: string): string[] {
  return [nodeRegistryHost(driver, registryHost)];
}

/** The only profile the none driver accepts: the node is this machine, so there is one. */
export const NONE_DRIVER_PROFILE = 'minikube';

const CREATION_ONLY =
  'minikube applies this only when it creates the cluster; `minikube start` on an existing one ignores it';

/**
 * Decides what `cluster up` must do, from facts alone: nothing when the cluster
 * runs as asked; start when it is stopped; create when absent; recreate (with
 * consent) when it was made with other settings. Blocking problems (no or
 * refused minikube, no usable driver, missing Hyper-V switch) are thrown as
 * QedErrors with hints, before anything changes.
 */
export function planCluster(facts: ClusterFacts, options: ClusterOptions): ClusterPlan {
  const profile = validateProfileName(options.profile);
  requireUsableMinikube(facts.minikubeVersion);
  const existing = facts.cluster;
  // An existing cluster keeps its driver under `auto`: choosing again could pick
  // another one and turn a plain restart into a recreate.
  const requested: ClusterDriver =
    options.driver === 'auto' && existing.settings?.driver ? (existing.settings.driver as ClusterDriver) : options.driver;
  const driver =
    options.driver === 'auto' && requested !== 'auto'
      ? { driver: requested as DriverChoice['driver'], reason: `the existing cluster uses driver ${requested}`, source: 'auto' as const }
      : chooseDriver({
          os: facts.os,
          arch: facts.arch,
          requested,
          doctor: facts.doctor,
          hypervVirtualSwitch: options.hypervVirtualSwitch,
          hypervSwitches: facts.hypervSwitches,
        });

  // On `none` the node is this machine: the data root is already where the
  // hostPath volumes look, so it is used in place instead of mounted.
  const inPlace = nodeIsHost(driver.driver);
  if (inPlace && profile !== NONE_DRIVER_PROFILE) {
    // minikube refuses it too (DRV_UNSUPPORTED_PROFILE), but only after its own checks; say it first, with the fix.
    throw new QedError('DRIVER_NONE_PROFILE', `Driver none supports one cluster only, the profile named "${NONE_DRIVER_PROFILE}"; this config asks for "${profile}"`, {
      hint: `Set cluster.profile to ${NONE_DRIVER_PROFILE} in qed.config.yaml (or pass --profile ${NONE_DRIVER_PROFILE}), or choose a driver with a VM or a node container.`,
      data: { profile, driver: 'none' },
    });
  }
  const desired: DesiredSettings = {
    driver: driver.driver,
    cpus: options.cpus,
    memoryMb: options.memoryMb,
    diskSizeMb: options.diskSizeMb,
    kubernetesVersion: options.kubernetesVersion ? withV(options.kubernetesVersion) : null,
    containerRuntime: options.containerRuntime ?? null,
    insecureRegistries: insecureRegistries(driver.driver, options.registryHost),
    mount: !inPlace,
    mountString: inPlace ? null : mountString(options.dataRoot, facts.os),
    hypervVirtualSwitch: driver.driver === 'hyperv' ? (options.hypervVirtualSwitch ?? null) : null,
    extraConfig: [...(options.extraConfig ?? [])],
  };
  const notes = [`Driver ${driver.driver}: ${driver.reason}.`];
  if (inPlace) {
    notes.push(
      `With driver none the node is this machine: the data root ${options.dataRoot} is used in place (nothing is mounted), and the cluster has this machine's own CPUs, memory and disk (cluster.cpus, memoryMb and diskSizeMb do not apply).`,
    );
  }
  const start = startCommand(profile, desired);
  const base = { profile, found: existing.state, driver, desired, notes };

  if (existing.state === 'absent') {
    return { ...base, action: 'create', differences: [], needsConsent: false, steps: [start] };
  }
  const differences =
    existing.state === 'invalid' ? [] : existing.settings ? diffSettings(existing.settings, desired) : [];
  if (existing.state === 'invalid' || differences.length > 0) {
    notes.push(
      existing.state === 'invalid'
        ? `Profile ${profile} is listed as invalid by minikube; it must be deleted and created again.`
        : `Profile ${profile} was created with other settings; it must be deleted and created again (its workloads and any data kept only inside the node are lost; data under ${options.dataRoot} stays):\n${differences.map((d) => `  ${d.setting}: ${d.current} -> ${d.wanted} (${d.note})`).join('\n')}`,
    );
    return {
      ...base,
      action: 'recreate',
      differences,
      needsConsent: true,
      steps: [
        { command: 'minikube', args: ['delete', '-p', profile], why: `delete profile ${profile} to recreate it`, kind: 'delete' },
        start,
      ],
    };
  }
  if (existing.settings === null) {
    notes.push(`The settings of profile ${profile} could not be read from \`minikube profile list\`; they were not compared.`);
  } else {
    const kept = keptSizeNote(profile, existing.settings, desired);
    if (kept) notes.push(kept);
  }
  if (existing.state === 'running') {
    return { ...base, action: 'none', differences: [], needsConsent: false, steps: [] };
  }
  if (existing.state === 'paused') {
    const why = `unpause the paused profile ${profile}`;
    return { ...base, action: 'start', differences: [], needsConsent: false, steps: [{ command: 'minikube', args: ['unpause', '-p', profile], why, kind: 'start' }] };
  }
  // A stopped profile starts with its saved settings; other flags would only draw
  // warnings. --extra-config is the exception: minikube replaces the saved list
  // with the one given, so an entry added after a failed first start (such as
  // kubelet.fail-cgroupv1=false) reaches the profile without a recreate.
  const args = ['start', '-p', profile, ...extraConfigArgs(desired.extraConfig)];
  return {
    ...base,
    action: 'start',
    differences: [],
    needsConsent: false,
    steps: [{ command: 'minikube', args, why: `start the ${existing.state} profile ${profile}`, kind: 'start' }],
  };
}

/**
 * The container drivers size the node container once, when it is created; the
 * cluster is kept (see diffSettings), and this says that the asked-for size is
 * not the one it has.
 */
function keptSizeNote(profile: string, current: ClusterSettings, desired: DesiredSettings): string | null {
  if (!hasNoVm(desired.driver) || nodeIsHost(desired.driver) || current.driver !== desired.driver) return null;
  if (current.cpus === desired.cpus && current.memoryMb === desired.memoryMb) return null;
  return `Profile ${profile} keeps the ${current.cpus} CPUs and ${current.memoryMb}MB it was created with (asked: ${desired.cpus} CPUs, ${desired.memoryMb}MB): the ${desired.driver} driver cannot resize its node container. To apply the new size, \`qed-bootstrap cluster delete\` then \`cluster up\` (the node's workloads are lost).`;
}

export function diffSettings(current: ClusterSettings, wanted: ClusterSettings): SettingDifference[] {
  const out: SettingDifference[] = [];
  const add = (setting: SettingDifference['setting'], c: string, w: string, note: string) => {
    if (c !== w) out.push({ setting, current: c, wanted: w, note });
  };
  const resize = 'minikube cannot change it for an existing cluster';
  add('driver', current.driver, wanted.driver, 'a cluster cannot move to another driver');
  // Only a VM has a size to compare. On `none` the node is this machine (its CPUs,
  // memory and disk are whatever it has); the container drivers set limits on the
  // node container that minikube cannot change either, and do not use the disk
  // size at all. Recreating a cluster over these would lose its workloads for nothing.
  if (!hasNoVm(wanted.driver)) {
    add('cpus', String(current.cpus), String(wanted.cpus), resize);
    add('memory', `${current.memoryMb}MB`, `${wanted.memoryMb}MB`, resize);
    add('disk-size', `${current.diskSizeMb}MB`, `${wanted.diskSizeMb}MB`, resize);
  }
  if (wanted.kubernetesVersion) {
    add('kubernetes-version', current.kubernetesVersion ?? '(none)', wanted.kubernetesVersion, 'changing Kubernetes versions in place is not supported here');
  }
  if (wanted.containerRuntime) {
    add('container-runtime', current.containerRuntime ?? '(default)', wanted.containerRuntime, CREATION_ONLY);
  }
  const missing = wanted.insecureRegistries.filter((r) => !current.insecureRegistries.includes(r));
  if (missing.length > 0) {
    add('insecure-registry', current.insecureRegistries.join(',') || '(none)', wanted.insecureRegistries.join(','), CREATION_ONLY);
  }
  // On `none` nothing is mounted (the data root is used in place), whatever an
  // older profile recorded.
  if (!nodeIsHost(wanted.driver)) {
    add('mount', current.mount ? (current.mountString ?? '(default)') : '(none)', wanted.mountString ?? '(none)', CREATION_ONLY);
  }
  if (wanted.hypervVirtualSwitch) {
    add('hyperv-virtual-switch', current.hypervVirtualSwitch ?? '(none)', wanted.hypervVirtualSwitch, CREATION_ONLY);
  }
  return out;
}

/**
 * The full `minikube start` for a new profile. Memory and disk carry units so no
 * default unit is assumed.
 *
 * No step follows it for containerd: since v1.27.0 (kubernetes/minikube#14482,
 * the fix for #14480) minikube itself writes /etc/containerd/certs.d/<host>/hosts.toml
 * for each --insecure-registry, and every release qed-bootstrap accepts is newer
 * (MINIKUBE_WRITES_CONTAINERD_HOSTS is checked against the minimum in the tests).
 */
export function startCommand(profile: string, s: DesiredSettings): PlannedCommand {
  const args = ['start', '-p', profile, '--driver', s.driver];
  if (s.hypervVirtualSwitch) args.push('--hyperv-virtual-switch', s.hypervVirtualSwitch);
  // `none` has no VM to size: minikube ignores these there, with warnings.
  if (!nodeIsHost(s.driver)) args.push('--cpus', String(s.cpus), '--memory', `${s.memoryMb}mb`);
  // The container drivers ignore --disk-size and warn about it.
  if (!hasNoVm(s.driver)) args.push('--disk-size', `${s.diskSizeMb}mb`);
  if (s.kubernetesVersion) args.push('--kubernetes-version', s.kubernetesVersion);
  if (s.containerRuntime) args.push('--container-runtime', s.containerRuntime);
  args.push(...extraConfigArgs(s.extraConfig));
  for (const registry of s.insecureRegistries) args.push('--insecure-registry', registry);
  if (s.mount && s.mountString) args.push('--mount', '--mount-string', s.mountString);
  return { command: 'minikube', args, why: `create profile ${profile} with driver ${s.driver}`, kind: 'start' };
}

/** The first minikube release that writes containerd's hosts.toml for each --insecure-registry. */
export const MINIKUBE_WRITES_CONTAINERD_HOSTS = '1.27.0';

function extraConfigArgs(entries: readonly string[]): string[] {
  return entries.flatMap((entry) => ['--extra-config', entry]);
}

function withV(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}
