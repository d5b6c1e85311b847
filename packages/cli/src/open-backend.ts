import type { BackendTarget, ClusterBackend } from '@qed/cluster';
import { detectPlatform, type PlatformFacts } from '@qed/core';
import type { DoctorReport } from '@qed/env-check';
import type { ClusterConnection } from '@qed/kube';
import type { CliContext } from './cli-context.js';

export interface OpenBackendOptions {
  /** The connection already made to the target's context (status, registry up), used as it is. */
  connection?: ClusterConnection;
  /** Said before the doctor runs: it takes a few seconds. */
  onDoctor?: () => void;
}

/**
 * The cluster backend for a command, wired as the pipeline wires it: the same
 * detection, the doctor run with the backend's own checks, each read once.
 */
export async function openBackend(ctx: CliContext, target: BackendTarget, options: OpenBackendOptions = {}): Promise<ClusterBackend> {
  const [{ detectBackend }, { config }] = await Promise.all([import('@qed/cluster'), ctx.loadConfig()]);
  let platform: Promise<PlatformFacts> | undefined;
  const platformOnce = () => {
    platform ??= detectPlatform();
    return platform;
  };
  let doctor: Promise<DoctorReport> | undefined;
  let cluster: Promise<ClusterConnection> | undefined = options.connection ? Promise.resolve(options.connection) : undefined;
  const backend: ClusterBackend = await detectBackend(target, {
    runner: ctx.runner,
    env: ctx.env,
    homeDir: ctx.homeDir,
    platform: platformOnce,
    doctor: () => {
      doctor ??= (async () => {
        const { defaultChecks, nodeCheckContext, runDoctor } = await import('@qed/env-check');
        options.onDoctor?.();
        const facts = await platformOnce();
        return runDoctor(nodeCheckContext({ runner: ctx.runner, platform: facts, config, env: ctx.env }), backend.doctorChecks(defaultChecks));
      })();
      return doctor;
    },
    cluster: () => {
      // The same kubeconfig files as detection read.
      const source = { env: ctx.env, homeDir: ctx.homeDir };
      cluster ??= import('@qed/kube').then(({ connectCluster }) => connectCluster({ context: backend.kubeContext, source }));
      return cluster;
    },
  });
  return backend;
}
