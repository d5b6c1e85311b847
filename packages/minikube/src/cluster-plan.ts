import type { ClusterConfig, ClusterDriver, QedConfig } from '@qed/core';
import { type DriverChoice, chooseDriver } from './choose-driver.js';
import type { ClusterFacts, ClusterSettings, ClusterState } from './cluster-facts.js';
import { requireUsableMinikube } from './minikube-version.js';
import { mountString } from './node-path.js';
import { validateProfileName } from './profile-name.js';

export type ContainerRuntime = 'docker' | 'containerd' | 'cri-o';

/** What `cluster up` is asked for: the config's cluster section with the CLI's flags applied. */
export interface ClusterOptions extends ClusterConfig {
  /** minikube's default (docker) when absent. */
  containerRuntime?: ContainerRuntime;
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
  return {
    profile: flags.profile ?? c.profile,
    driver: flags.driver ?? c.driver,
    ...(hypervVirtualSwitch ? { hypervVirtualSwitch } : {}),
    cpus: flags.cpus ?? c.cpus,
    memoryMb: flags.memoryMb ?? c.memoryMb,
    diskSizeMb: flags.diskSizeMb ?? c.diskSizeMb,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
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
  kind: 'delete' | 'start' | 'configure';
}

export type ClusterAction = 'none' | 'start' | 'create' | 'recreate';

export interface ClusterPlan {
  profile: string;
  action: ClusterAction;
  /** The state found, for the message. */
  found: ClusterState;
  driver: DriverChoice;
  /** The settings the cluster is (re)created with. */
  desired: ClusterSettings;
  differences: SettingDifference[];
  steps: PlannedCommand[];
  /** Recreating deletes the node and what lives only inside it: apply refuses without consent. */
  needsConsent: boolean;
  /** One line per point the user should read (driver choice, what differs, manual steps). */
  notes: string[];
}

/** The host registry as the node reaches it: 127.0.0.1/localhost inside the VM is the VM itself. */
export const HOST_ALIAS = 'host.minikube.internal';

export function insecureRegistries(registryHost: string): string[] {
  const port = /:(\d+)$/.exec(registryHost)?.[1];
  const inside = port ? `${HOST_ALIAS}:${port}` : HOST_ALIAS;
  return registryHost === inside ? [registryHost] : [registryHost, inside];
}

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
          requested,
          doctor: facts.doctor,
          hypervVirtualSwitch: options.hypervVirtualSwitch,
          hypervSwitches: facts.hypervSwitches,
        });

  const desired: ClusterSettings = {
    driver: driver.driver,
    cpus: options.cpus,
    memoryMb: options.memoryMb,
    diskSizeMb: options.diskSizeMb,
    kubernetesVersion: options.kubernetesVersion ? withV(options.kubernetesVersion) : null,
    containerRuntime: options.containerRuntime ?? null,
    insecureRegistries: insecureRegistries(options.registryHost),
    mount: true,
    mountString: mountString(options.dataRoot, facts.os),
    hypervVirtualSwitch: driver.driver === 'hyperv' ? (options.hypervVirtualSwitch ?? null) : null,
  };
  const notes = [`Driver ${driver.driver}: ${driver.reason}.`];
  const start = startCommand(profile, desired);
  const configure = registryHostsCommand(profile, desired, options.registryHost);
  if (configure) notes.push(CONTAINERD_NOTE);
  const base = { profile, found: existing.state, driver, desired, notes };

  if (existing.state === 'absent') {
    return { ...base, action: 'create', differences: [], needsConsent: false, steps: [start, ...(configure ? [configure] : [])] };
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
        ...(configure ? [configure] : []),
      ],
    };
  }
  if (existing.settings === null) {
    notes.push(`The settings of profile ${profile} could not be read from \`minikube profile list\`; they were not compared.`);
  }
  if (existing.state === 'running') {
    return { ...base, action: 'none', differences: [], needsConsent: false, steps: [] };
  }
  return {
    ...base,
    action: 'start',
    differences: [],
    needsConsent: false,
    // A stopped profile starts with its saved settings; flags would only draw warnings.
    steps: [{ command: 'minikube', args: ['start', '-p', profile], why: `start the ${existing.state} profile ${profile}`, kind: 'start' }],
  };
}

export function diffSettings(current: ClusterSettings, wanted: ClusterSettings): SettingDifference[] {
  const out: SettingDifference[] = [];
  const add = (setting: SettingDifference['setting'], c: string, w: string, note: string) => {
    if (c !== w) out.push({ setting, current: c, wanted: w, note });
  };
  const resize = 'minikube cannot change it for an existing cluster';
  add('driver', current.driver, wanted.driver, 'a cluster cannot move to another driver');
  add('cpus', String(current.cpus), String(wanted.cpus), resize);
  add('memory', `${current.memoryMb}MB`, `${wanted.memoryMb}MB`, resize);
  if (wanted.driver !== 'docker' && wanted.driver !== 'podman') {
    // The container drivers record a disk size but do not use it.
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
  add('mount', current.mount ? (current.mountString ?? '(default)') : '(none)', wanted.mountString ?? '(none)', CREATION_ONLY);
  if (wanted.hypervVirtualSwitch) {
    add('hyperv-virtual-switch', current.hypervVirtualSwitch ?? '(none)', wanted.hypervVirtualSwitch, CREATION_ONLY);
  }
  return out;
}

/** The full `minikube start` for a new profile. Memory and disk carry units so no default unit is assumed. */
export function startCommand(profile: string, s: ClusterSettings): PlannedCommand {
  const args = ['start', '-p', profile, '--driver', s.driver];
  if (s.hypervVirtualSwitch) args.push('--hyperv-virtual-switch', s.hypervVirtualSwitch);
  args.push('--cpus', String(s.cpus), '--memory', `${s.memoryMb}mb`);
  // The container drivers ignore --disk-size and warn about it.
  if (s.driver !== 'docker' && s.driver !== 'podman') args.push('--disk-size', `${s.diskSizeMb}mb`);
  if (s.kubernetesVersion) args.push('--kubernetes-version', s.kubernetesVersion);
  if (s.containerRuntime) args.push('--container-runtime', s.containerRuntime);
  for (const registry of s.insecureRegistries) args.push('--insecure-registry', registry);
  if (s.mount && s.mountString) args.push('--mount', '--mount-string', s.mountString);
  return { command: 'minikube', args, why: `create profile ${profile} with driver ${s.driver}`, kind: 'start' };
}

export const CONTAINERD_NOTE =
  'With the containerd runtime, --insecure-registry alone does not let the node pull over plain HTTP: each registry needs a hosts.toml under /etc/containerd/certs.d/<host:port>/ pointing at http://<host:port>. qed-bootstrap writes it with `minikube ssh` after start and restarts containerd.';

/**
 * containerd reads plain-HTTP registries from /etc/containerd/certs.d/<host>/hosts.toml
 * (its config_path), not from the insecure-registry list the docker runtime uses.
 */
export function registryHostsCommand(profile: string, s: ClusterSettings, registryHost: string): PlannedCommand | null {
  if (s.containerRuntime !== 'containerd') return null;
  const scripts = s.insecureRegistries.map((host) => {
    const dir = `/etc/containerd/certs.d/${host}`;
    const toml = `server = "http://${host}"\\n\\n[host."http://${host}"]\\n  capabilities = ["pull", "resolve"]\\n  skip_verify = true\\n`;
    return `sudo mkdir -p ${dir} && printf '${toml}' | sudo tee ${dir}/hosts.toml >/dev/null`;
  });
  const script = [...scripts, 'sudo systemctl restart containerd'].join(' && ');
  return {
    command: 'minikube',
    args: ['ssh', '-p', profile, '--', script],
    why: `let containerd pull from ${registryHost} over plain HTTP`,
    kind: 'configure',
  };
}

function withV(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}
