import path from 'node:path';
import { detectPlatform, type PlatformFacts } from '@qed/core';
import { type DoctorReport, nodeCheckContext, runDoctor } from '@qed/env-check';
import { type ClusterConnection, connectCluster } from '@qed/manifests';
import { abortableRunner } from './abortable-runner.js';
import { STATE_FILE } from './bootstrap-state.js';
import type { BootstrapDeps, BootstrapInput, BootstrapPaths, StepContext } from './pipeline-types.js';
import { doctorChecksFor } from './steps/doctor-step.js';

export function bootstrapPaths(deps: Pick<BootstrapDeps, 'cwd' | 'homeDir'>): BootstrapPaths {
  return {
    stateFile: path.join(deps.cwd, STATE_FILE),
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
    progress: () => undefined,
  };
  return ctx;
}
