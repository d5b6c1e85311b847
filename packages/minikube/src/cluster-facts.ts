import { type CommandRunner, isQedError, nodePlatformSource, type OperatingSystem } from '@qed/core';
import { parseMinikubeVersion } from './minikube-version.js';

/**
 * What the doctor found, as plain input (the shape of env-check's CheckResult,
 * not imported: this package depends on @qed/core only). The driver choice reads
 * one check per driver, named as the driver ('docker', 'virtualbox', 'hyperv',
 * 'kvm2', 'qemu2', 'vfkit', 'podman', 'parallels', 'vmware'), and 'virtualization'.
 */
export interface DoctorFinding {
  id: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  version: string | null;
  detail?: string;
  hint?: string | null;
  /** What the check found as data: the hyperv check's listed switches. */
  facts?: { hypervSwitches?: readonly string[] };
}

/** One node's line of `minikube status -o json`. */
export interface NodeStatus {
  name: string;
  host: string;
  kubelet: string;
  apiServer: string;
  kubeconfig: string;
  worker: boolean;
}

/** The settings a profile was created with, from `minikube profile list -o json` (Config). */
export interface ClusterSettings {
  driver: string;
  cpus: number;
  memoryMb: number;
  diskSizeMb: number;
  kubernetesVersion: string | null;
  containerRuntime: string | null;
  insecureRegistries: string[];
  mount: boolean;
  mountString: string | null;
  hypervVirtualSwitch: string | null;
}

export type ClusterState = 'absent' | 'running' | 'paused' | 'stopped' | 'degraded' | 'invalid';

export interface ExistingCluster {
  state: ClusterState;
  /** The exit code of `minikube status`: bit 1 host, 2 kubelet, 4 apiserver not running; 85 no profile. */
  statusExitCode: number | null;
  nodes: NodeStatus[];
  /** null when the profile is absent or its config could not be read. */
  settings: ClusterSettings | null;
}

export interface ClusterFacts {
  os: OperatingSystem;
  /** The CPU as Node names it (x64, arm64, …): minikube offers some drivers only on some CPUs. */
  arch: string;
  /** null: minikube is not installed. */
  minikubeVersion: string | null;
  doctor: readonly DoctorFinding[];
  /** Hyper-V virtual switch names, when they were listed (Windows, doctor); null when unknown. */
  hypervSwitches: readonly string[] | null;
  cluster: ExistingCluster;
}

/** minikube's exit code for "no such profile" (ExGuestNotFound). */
export const EXIT_PROFILE_NOT_FOUND = 85;

/**
 * Reads `minikube status -o json` and its exit code. A single node prints an
 * object, several nodes an array; an absent profile prints a sentence and exits
 * 85 (older releases: Host "Nonexistent" and exit 7).
 */
export function parseStatus(
  stdout: string,
  exitCode: number | null,
): { state: Exclude<ClusterState, 'invalid'>; nodes: NodeStatus[] } {
  const nodes = parseNodes(stdout);
  if (exitCode === EXIT_PROFILE_NOT_FOUND || nodes.length === 0) {
    if (nodes.length === 0 && exitCode !== EXIT_PROFILE_NOT_FOUND && !/not found|does not exist/i.test(stdout)) {
      throw new Error(`unexpected output of minikube status (exit ${exitCode}): ${stdout.trim().slice(0, 200)}`);
    }
    return { state: 'absent', nodes: [] };
  }
  if (nodes.every((n) => n.host === 'Nonexistent')) return { state: 'absent', nodes: [] };
  const primary = nodes.find((n) => !n.worker) ?? nodes[0];
  if (primary?.host === 'Stopped' || primary?.host === 'Nonexistent') return { state: 'stopped', nodes };
  // `minikube pause` freezes the control plane's containers: host and kubelet run, the API server reports Paused (exit 2).
  if (primary?.host === 'Running' && primary.apiServer === 'Paused') return { state: 'paused', nodes };
  const allRunning = nodes.every(
    (n) => n.host === 'Running' && n.kubelet === 'Running' && (n.worker || n.apiServer === 'Running'),
  );
  return { state: allRunning && exitCode === 0 ? 'running' : 'degraded', nodes };
}

function parseNodes(stdout: string): NodeStatus[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim());
  } catch {
    return [];
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.flatMap((item: unknown): NodeStatus[] => {
    if (!item || typeof item !== 'object' || !('Host' in item)) return [];
    const o = item as Record<string, unknown>;
    return [
      {
        name: str(o.Name) ?? '',
        host: str(o.Host) ?? 'Unknown',
        kubelet: str(o.Kubelet) ?? 'Unknown',
        apiServer: str(o.APIServer) ?? 'Unknown',
        kubeconfig: str(o.Kubeconfig) ?? 'Unknown',
        worker: o.Worker === true,
      },
    ];
  });
}

export interface ProfileListing {
  valid: Map<string, ClusterSettings>;
  invalid: Set<string>;
}

/**
 * Reads `minikube profile list -o json`: {"invalid":[…],"valid":[{"Name","Status","Config":{…}}]}.
 * With no profile at all minikube exits non-zero (MK_USAGE_NO_PROFILE), which is an empty listing.
 */
export function parseProfileList(stdout: string): ProfileListing {
  const listing: ProfileListing = { valid: new Map(), invalid: new Set() };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim());
  } catch {
    return listing;
  }
  if (!parsed || typeof parsed !== 'object') return listing;
  const { valid, invalid } = parsed as { valid?: unknown; invalid?: unknown };
  for (const entry of Array.isArray(invalid) ? invalid : []) {
    const name = str((entry as Record<string, unknown> | null)?.Name);
    if (name) listing.invalid.add(name);
  }
  for (const entry of Array.isArray(valid) ? valid : []) {
    const o = (entry ?? {}) as Record<string, unknown>;
    const name = str(o.Name);
    const config = o.Config as Record<string, unknown> | undefined;
    if (name && config) listing.valid.set(name, readSettings(config));
  }
  return listing;
}

function readSettings(c: Record<string, unknown>): ClusterSettings {
  const k8s = (c.KubernetesConfig ?? {}) as Record<string, unknown>;
  const registries = Array.isArray(c.InsecureRegistry) ? c.InsecureRegistry.filter((r) => typeof r === 'string') : [];
  return {
    driver: str(c.Driver) ?? '',
    cpus: num(c.CPUs),
    memoryMb: num(c.Memory),
    diskSizeMb: num(c.DiskSize),
    kubernetesVersion: str(k8s.KubernetesVersion) ?? null,
    containerRuntime: str(k8s.ContainerRuntime) ?? null,
    insecureRegistries: registries,
    mount: c.Mount === true,
    mountString: str(c.MountString) || null,
    hypervVirtualSwitch: str(c.HypervVirtualSwitch) || null,
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v) || 0);

export interface GatherOptions {
  profile: string;
  os: OperatingSystem;
  /** PlatformFacts.arch; absent: the CPU this process runs on. */
  arch?: string;
  doctor?: readonly DoctorFinding[];
  /** Absent: the switches the doctor's hyperv check listed, if it listed them. */
  hypervSwitches?: readonly string[] | null;
}

/**
 * Asks minikube (never its text output) what exists. A missing minikube is a
 * fact (version null), not an error: the plan turns it into one with a hint.
 */
export async function gatherClusterFacts(runner: CommandRunner, options: GatherOptions): Promise<ClusterFacts> {
  const base = {
    os: options.os,
    arch: options.arch ?? nodePlatformSource.arch(),
    doctor: options.doctor ?? [],
    hypervSwitches: options.hypervSwitches ?? listedSwitches(options.doctor ?? []),
  };
  let version: string | null;
  try {
    const result = await runner.run({ command: 'minikube', args: ['version', '-o', 'json'] });
    version = parseMinikubeVersion(result.stdout);
  } catch (error) {
    if (isQedError(error, 'COMMAND_NOT_FOUND')) {
      return { ...base, minikubeVersion: null, cluster: absentCluster() };
    }
    throw error;
  }
  return { ...base, minikubeVersion: version, cluster: await readExistingCluster(runner, options.profile) };
}

/** The Hyper-V switches the doctor listed; null when it did not list them (not Windows, not driver hyperv, no rights). */
function listedSwitches(doctor: readonly DoctorFinding[]): readonly string[] | null {
  return doctor.find((f) => f.id === 'hyperv')?.facts?.hypervSwitches ?? null;
}

export function absentCluster(): ExistingCluster {
  return { state: 'absent', statusExitCode: null, nodes: [], settings: null };
}

/** The state of one profile: status for what runs, profile list for how it was made. */
export async function readExistingCluster(runner: CommandRunner, profile: string): Promise<ExistingCluster> {
  const listed = await runner.run({ command: 'minikube', args: ['profile', 'list', '-o', 'json'] });
  const listing = parseProfileList(listed.stdout);
  if (listing.invalid.has(profile)) {
    return { state: 'invalid', statusExitCode: null, nodes: [], settings: null };
  }
  const status = await runner.run({ command: 'minikube', args: ['status', '-p', profile, '-o', 'json'] });
  const { state, nodes } = parseStatus(status.stdout, status.exitCode);
  return {
    state,
    statusExitCode: status.exitCode,
    nodes,
    settings: state === 'absent' ? null : (listing.valid.get(profile) ?? null),
  };
}
