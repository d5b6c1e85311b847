import type { ClusterBackend } from '@qed/cluster';
import type { Clock, CommandRunner, PlatformFacts, QedConfig } from '@qed/core';
import type { DoctorReport } from '@qed/env-check';
import type { ClusterConnection } from '@qed/kube';
import type { ManifestProfile } from '@qed/manifests';
import type { StepId } from './step-ids.js';
import type { BootstrapTarget } from './target.js';

/** What the user asked for: flags and prompt answers laid over qed.config.yaml. */
export interface BootstrapInput {
  config: QedConfig;
  target: BootstrapTarget;
  namespace: string;
  profile: ManifestProfile;
  /** --only: the services to deploy; absent means config.services. */
  only?: readonly string[];
  /** --yes or a prompt's answer: may the cluster be recreated when its settings differ. */
  consent: boolean;
  /** macOS: may docker's config.json be fixed (with a backup). */
  fixDockerConfig: boolean;
  /** How long the wait step waits for every workload. Default 5 minutes. */
  waitTimeoutMs?: number;
}

/** The world, as the CLI wires it once; tests pass fakes. */
export interface BootstrapDeps {
  cwd: string;
  homeDir: string;
  env: Readonly<Record<string, string | undefined>>;
  runner: CommandRunner;
  /** Default: detectPlatform(). */
  platform?: () => Promise<PlatformFacts>;
  /** Default: @qed/kube connectCluster. */
  connect?: (context: string) => Promise<ClusterConnection>;
  /** Measures durations. Default: performance.now(). */
  now?: () => number;
  /** The calendar time: backup names, the state file's updatedAt. Default: systemClock. */
  clock?: Clock;
}

/** Where the pipeline keeps what one step hands to the next, so any step can run alone. */
export interface BootstrapPaths {
  stateFile: string;
  /** Held while a run goes on (run-lock.ts); --dry-run does not take it. */
  lockFile: string;
  manifestsDir: string;
  imagesFile: string;
  secretsFile: string;
}

/** What every step gets. Memoized facts are shared, so doctor and cluster read the machine once. */
export interface StepContext {
  input: BootstrapInput;
  deps: BootstrapDeps;
  paths: BootstrapPaths;
  /** Aborted by Ctrl-C; the runner's commands and the waits stop on it. */
  signal: AbortSignal;
  /** The kube context the stack goes to: the minikube profile, or the one --target names. */
  kubeContext: string;
  platform(): Promise<PlatformFacts>;
  /** Runs the checks the run's backend needs (backend().doctorChecks), once. */
  doctor(): Promise<DoctorReport>;
  cluster(): Promise<ClusterConnection>;
  /**
   * The run's one cluster backend, from --target: its `up` plan is made once
   * (facts read once). The cluster step shows and applies it; the doctor runs its
   * checks; the registry and manifests steps ask it how the node reaches the
   * registry; the summary asks it how a Service is reached.
   */
  backend(): Promise<ClusterBackend>;
  /** A line of progress for the running step (listr2's task output). */
  progress(message: string): void;
}

/** What a step would do: printed by --dry-run. Every command and object is one line. */
export interface StepPlan {
  summary: string;
  lines: string[];
}

/** What a step did; `skipped` when it does not apply here (detail says why). */
export interface StepOutcome {
  detail: string;
  skipped?: boolean;
  /** Lines worth printing after the run (the summary's status table and how to reach it). */
  report?: string;
}

export interface BootstrapStep {
  id: StepId;
  title: string;
  plan(ctx: StepContext): Promise<StepPlan>;
  apply(ctx: StepContext): Promise<StepOutcome>;
}
