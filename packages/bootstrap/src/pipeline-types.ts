import type { ClusterBackend } from '@qed/cluster';
import type { Clock, CommandRunner, PlatformFacts, QedConfig } from '@qed/core';
import type { DoctorReport } from '@qed/env-check';
import type { ClusterConnection } from '@qed/kube';
import type { ManifestProfile, SourcedObject } from '@qed/manifests';
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
  /** The project folder (the CLI's projectDir: where qed.config.yaml is): `.qed/` is made here. */
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

/**
 * What one run's steps hand each other in memory. Files are still written, for a
 * later run that resumes and for people, but never read back in the run that
 * wrote them. A step's plan records what it would hand over (so a dry run plans
 * the later steps against it); its apply replaces that with what it made.
 */
export interface StepHandoff {
  /** Source image -> ref as this machine pushes it (the images step; .qed/images.json on resume). */
  imageRefs?: Readonly<Record<string, string>>;
  /** The manifests step's objects, as written to .qed/manifests. */
  rendered?: RenderedSet;
}

export interface RenderedSet {
  objects: readonly SourcedObject[];
  /**
   * Validated in this run, offline and by the server's strict dry run: the apply
   * step does not ask the server again.
   */
  validated: boolean;
}

/** What every step gets. Memoized facts are shared, so doctor and cluster read the machine once. */
export interface StepContext {
  input: BootstrapInput;
  deps: BootstrapDeps;
  paths: BootstrapPaths;
  /** Aborted by Ctrl-C; the runner's commands and the waits stop on it. */
  signal: AbortSignal;
  /**
   * --dry-run: plans only. A plan may then also ask the server what would change
   * (the apply step's server-side dry run), which a real run skips: its apply tells.
   */
  dryRun: boolean;
  /** What earlier steps of this run made, or (dry run) would make. */
  handoff: StepHandoff;
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

/** A step's plan for people: --dry-run prints it, --json writes it. Every command and object is one line; no secret value. */
export interface StepPlanView {
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

/**
 * One step of the pipeline: `plan` reads the facts and decides (changing nothing,
 * writing nothing); `describe` shows that plan; `apply` carries out exactly that
 * plan. A run plans each step just before applying it, so a plan sees what the
 * steps before it made.
 */
export interface BootstrapStep<Plan = unknown> {
  id: StepId;
  title: string;
  plan(ctx: StepContext): Promise<Plan>;
  describe(plan: Plan, ctx: StepContext): StepPlanView;
  apply(ctx: StepContext, plan: Plan): Promise<StepOutcome>;
}

/**
 * A step as the pipeline holds it, its plan type forgotten: the pipeline only ever
 * hands a step's plan back to the same step.
 */
export type AnyBootstrapStep = BootstrapStep<unknown>;

export function anyStep<Plan>(step: BootstrapStep<Plan>): AnyBootstrapStep {
  return step as unknown as AnyBootstrapStep;
}
