import { type CommandRunner, QedError, requireConsent, runOrThrow } from '@qed/core';
import { type ClusterState, type NodeStatus, readExistingCluster } from './cluster-facts.js';
import { validateProfileName } from './profile-name.js';

/** The record `cluster status --json` prints. */
export interface ClusterStatusRecord {
  profile: string;
  state: ClusterState;
  host: string | null;
  kubelet: string | null;
  apiServer: string | null;
  kubeconfig: string | null;
  nodes: NodeStatus[];
  driver: string | null;
  kubernetesVersion: string | null;
  containerRuntime: string | null;
  ip: string | null;
}

export async function clusterStatus(runner: CommandRunner, profile: string): Promise<ClusterStatusRecord> {
  validateProfileName(profile);
  const existing = await readMinikube(() => readExistingCluster(runner, profile));
  const primary = existing.nodes.find((n) => !n.worker) ?? existing.nodes[0];
  let ip: string | null = null;
  if (primary?.host === 'Running') {
    const result = await runner.run({ command: 'minikube', args: ['ip', '-p', profile] });
    ip = result.exitCode === 0 ? result.stdout.trim() || null : null;
  }
  return {
    profile,
    state: existing.state,
    host: primary?.host ?? null,
    kubelet: primary?.kubelet ?? null,
    apiServer: primary?.apiServer ?? null,
    kubeconfig: primary?.kubeconfig ?? null,
    nodes: existing.nodes,
    driver: existing.settings?.driver ?? null,
    kubernetesVersion: existing.settings?.kubernetesVersion ?? null,
    containerRuntime: existing.settings?.containerRuntime ?? null,
    ip,
  };
}

export interface LifecycleResult {
  profile: string;
  changed: boolean;
  /** One line for the user. */
  message: string;
}

/** Stops a running profile; a stopped or absent one is left as it is. */
export async function clusterStop(runner: CommandRunner, profile: string): Promise<LifecycleResult> {
  validateProfileName(profile);
  const existing = await readMinikube(() => readExistingCluster(runner, profile));
  if (existing.state === 'absent') return { profile, changed: false, message: `Profile ${profile} does not exist; nothing to stop.` };
  if (existing.state === 'stopped') return { profile, changed: false, message: `Profile ${profile} is already stopped.` };
  await runOrThrow(
    runner,
    { command: 'minikube', args: ['stop', '-p', profile], timeoutMs: 5 * 60_000 },
    { code: 'MINIKUBE_STOP_FAILED', what: `Could not stop profile ${profile}`, hint: `Run \`minikube stop -p ${profile}\` by hand to see the full error.` },
  );
  return { profile, changed: true, message: `Stopped profile ${profile}; \`qed-bootstrap cluster up\` starts it again.` };
}

/** Deletes a profile, only with consent: the node's workloads and images go with it. */
export async function clusterDelete(
  runner: CommandRunner,
  profile: string,
  options: { consent?: boolean } = {},
): Promise<LifecycleResult> {
  validateProfileName(profile);
  const existing = await readMinikube(() => readExistingCluster(runner, profile));
  if (existing.state === 'absent') return { profile, changed: false, message: `Profile ${profile} does not exist; nothing to delete.` };
  // Data under the mounted data root lives on this machine and is kept.
  requireConsent(options.consent, { action: `Deleting profile ${profile} and everything inside its VM`, data: { profile } });
  await runOrThrow(
    runner,
    { command: 'minikube', args: ['delete', '-p', profile], timeoutMs: 5 * 60_000 },
    { code: 'MINIKUBE_DELETE_FAILED', what: `Could not delete profile ${profile}`, hint: `Run \`minikube delete -p ${profile}\` by hand to see the full error.` },
  );
  return { profile, changed: true, message: `Deleted profile ${profile}.` };
}

/**
 * The driver profile `profile` was created with, for callers that wire something
 * to an existing cluster (the registry's local-registry-hosting); null when
 * minikube is not installed or has no such profile.
 */
export async function profileDriver(runner: CommandRunner, profile: string): Promise<string | null> {
  try {
    return (await readExistingCluster(runner, profile)).settings?.driver || null;
  } catch (error) {
    if (error instanceof QedError && error.code === 'COMMAND_NOT_FOUND') return null;
    throw error;
  }
}

/** A missing minikube gets the same hint on every command. */
async function readMinikube<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof QedError && error.code === 'COMMAND_NOT_FOUND') {
      throw new QedError('MINIKUBE_MISSING', 'minikube is not installed or not on PATH', {
        hint: 'Install minikube >= 1.33.0: https://minikube.sigs.k8s.io/docs/start/, then run `qed-bootstrap doctor`.',
        cause: error,
      });
    }
    throw error;
  }
}
