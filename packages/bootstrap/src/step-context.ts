import { detectPlatform, type PlatformFacts, projectPaths } from '@qed/core';
import { type BackendTarget, type ClusterBackend, detectBackend } from '@qed/cluster';
import { type DoctorReport, defaultChecks, nodeCheckContext, runDoctor } from '@qed/env-check';
import { type ClusterConnection, connectCluster } from '@qed/kube';
import { abortableRunner } from './abortable-runner.js';
import type { BootstrapDeps, BootstrapInput, BootstrapPaths, StepContext } from './pipeline-types.js';

export function bootstrapPaths(deps: Pick<BootstrapDeps, 'cwd' | 'homeDir'>): BootstrapPaths {
  return projectPaths({ projectDir: deps.cwd, homeDir: deps.homeDir });
}

/** One context for the whole run: machine facts, doctor and connection are read once and shared by the steps. */
export function createStepContext(input: BootstrapInput, deps: BootstrapDeps, signal: AbortSignal, options: { dryRun?: boolean } = {}): StepContext {
  const kubeContext = input.target.kind === 'context' ? input.target.context : input.config.cluster.profile;
  const runner = abortableRunner(deps.runner, signal);
  const stepDeps: BootstrapDeps = { ...deps, runner };
  let platform: Promise<PlatformFacts> | undefined;
  let doctor: Promise<DoctorReport> | undefined;
  let cluster: Promise<ClusterConnection> | undefined;
  let backend: Promise<ClusterBackend> | undefined;
  const ctx: StepContext = {
    input,
    deps: stepDeps,
    paths: bootstrapPaths(deps),
    signal,
    dryRun: options.dryRun === true,
    handoff: {},
    kubeContext,
    platform: () => {
      platform ??= deps.platform ? deps.platform() : detectPlatform(undefined, input.config.dataRoot);
      return platform;
    },
    doctor: () => {
      doctor ??= Promise.all([ctx.platform(), ctx.backend()]).then(([facts, chosen]) =>
        runDoctor(nodeCheckContext({ runner, platform: facts, config: input.config, env: deps.env }), chosen.doctorChecks(defaultChecks)),
      );
      return doctor;
    },
    cluster: () => {
      // Connected on first use: the cluster step may be the one that creates it.
      cluster ??= (deps.connect ?? ((context: string) => connectCluster({ context })))(kubeContext);
      cluster.catch(() => {
        cluster = undefined;
      });
      return cluster;
    },
    backend: () => {
      backend ??= detectBackend(backendTarget(input), {
        runner,
        env: deps.env,
        homeDir: deps.homeDir,
        platform: () => ctx.platform(),
        doctor: () => ctx.doctor(),
        cluster: () => ctx.cluster(),
      });
      return backend;
    },
    progress: () => undefined,
  };
  return ctx;
}

/** --target as the cluster backends take it: minikube with the config's cluster section, or a context. */
function backendTarget(input: BootstrapInput): BackendTarget {
  return input.target.kind === 'minikube' ? { kind: 'minikube', config: input.config } : { kind: 'context', context: input.target.context };
}
