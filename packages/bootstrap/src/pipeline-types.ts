import type { CommandRunner, PlatformFacts, QedConfig } from '@qed/core';
import type { DoctorReport } from '@qed/env-check';
import type { ClusterConnection, ManifestProfile } from '@qed/manifests';
import type { ClusterPlan } from '@qed/minikube';
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
  /** Default: @qed/manifests connectCluster. */
  connect?: (context: string) => Promise<ClusterConnection>;
  /** Default: performance.now(). */
  now?: () => number;
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
  doctor(): Promise<DoctorReport>;
  cluster(): Promise<ClusterConnection>;
  /**
   * The run's one minikube plan (target minikube only): facts read once, planned
   * once. The cluster step shows and applies it; the registry and manifests steps
   * read its driver (plan.desired.driver) to know how the node reaches the registry.
   */
  minikubePlan(): Promise<ClusterPlan>;
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
