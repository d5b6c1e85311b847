import path from 'node:path';
import { detectPlatform, type PlatformFacts } from '@qed/core';
import { type DoctorReport, nodeCheckContext, runDoctor } from '@qed/env-check';
import { type ClusterConnection, connectCluster } from '@qed/manifests';
import { type ClusterPlan, clusterOptionsFrom, gatherClusterFacts, planCluster } from '@qed/minikube';
import { abortableRunner } from './abortable-runner.js';
import { STATE_FILE } from './bootstrap-state.js';
import { LOCK_FILE } from './run-lock.js';
import type { BootstrapDeps, BootstrapInput, BootstrapPaths, StepContext } from './pipeline-types.js';
import { doctorChecksFor } from './steps/doctor-step.js';

export function bootstrapPaths(deps: Pick<BootstrapDeps, 'cwd' | 'homeDir'>): BootstrapPaths {
  return {
    stateFile: path.join(deps.cwd, STATE_FILE),
    lockFile: path.join(deps.cwd, LOCK_FILE),
    manifestsDir: path.join(deps.cwd, '.qed', 'manifests'),
    imagesFile: path.join(deps.cwd, '.qed', 'images.json'),
    secretsFile: path.join(deps.homeDir, '.qed', 'secrets.env'),
  };
}

/** One context for the whole run: machine facts, doctor and connection are read once and shared by the steps. */
export function createStepContext(input: BootstrapInput, deps: BootstrapDeps, signal: AbortSignal): StepContext {
  const kubeContext = input.target.kind === 'context' ? input.target.context : input.config.cluster.profile;
  const runner = abortableRunner(deps.runner, signal);
  const stepDeps: BootstrapDeps = { ...deps, runner };
  let platform: Promise<PlatformFacts> | undefined;
  let doctor: Promise<DoctorReport> | undefined;
  let cluster: Promise<ClusterConnection> | undefined;
  let minikubePlan: Promise<ClusterPlan> | undefined;
  const ctx: StepContext = {
    input,
    deps: stepDeps,
    paths: bootstrapPaths(deps),
    signal,
    kubeContext,
    platform: () => {
      platform ??= deps.platform ? deps.platform() : detectPlatform(undefined, input.config.dataRoot);
      return platform;
    },
    doctor: () => {
      doctor ??= ctx.platform().then((facts) =>
        runDoctor(nodeCheckContext({ runner, platform: facts, config: input.config, env: deps.env }), doctorChecksFor(input.target)),
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
    minikubePlan: () => {
      minikubePlan ??= planMinikube(ctx);
      return minikubePlan;
    },
    progress: () => undefined,
  };
  return ctx;
}

/**
 * What `cluster up` would do, from minikube's state and the doctor's findings
 * (which choose the driver). Called through ctx.minikubePlan, so once a run: a
 * plan made before the cluster step applied it still names the driver the
 * cluster has, which is all the later steps read.
 */
async function planMinikube(ctx: StepContext): Promise<ClusterPlan> {
  if (ctx.input.target.kind !== 'minikube') {
    throw new Error(`minikubePlan() asked for with target ${ctx.input.target.kind}: a bug in the step that asked`);
  }
  const platform = await ctx.platform();
  const doctor = await ctx.doctor();
  const facts = await gatherClusterFacts(ctx.deps.runner, {
    profile: ctx.input.config.cluster.profile,
    os: platform.os,
    arch: platform.arch,
    doctor: doctor.checks.map((c) => ({ id: c.id, status: c.status, version: c.version, detail: c.detail, ...(c.hint ? { hint: c.hint } : {}) })),
  });
  return planCluster(facts, clusterOptionsFrom(ctx.input.config));
}
