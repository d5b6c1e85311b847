import type { CommandRunner, PlatformFacts } from '@qed/core';
import type { DoctorReport, EnvironmentCheck } from '@qed/env-check';
import type { ClusterConnection } from '@qed/kube';

/**
 * Which module runs the cluster's lifecycle: `minikube` creates, starts, stops and
 * deletes a minikube profile; `existing-context` uses a kube context someone else
 * made and changes nothing about the cluster. A new product (kind, k3d) is one more
 * name here and one more module in backends/.
 */
export type BackendKind = 'minikube' | 'existing-context';

/**
 * One cluster product behind one interface, so the pipeline and the CLI ask the
 * backend instead of asking "is this minikube?". Each backend owns:
 * - the doctor checks it needs (`doctorChecks`),
 * - facts -> plan -> apply for `up`, and `status`, `stop`, `delete`,
 * - how its nodes reach the local registry (`registryHosting`): the KEP-1755
 *   ConfigMap, and the image references as the node pulls them,
 * - how a Service is reached from this machine (`serviceAccess`).
 * `detectBackend` picks one from `--target` or a kube context.
 */
export interface ClusterBackend {
  readonly kind: BackendKind;
  /** The kube context the stack goes to: minikube names it after the profile. */
  readonly kubeContext: string;
  /** For messages: "minikube profile qed", "the existing context kind-kind". */
  readonly description: string;
  /** What to add when a required doctor check failed (another target, say); null: nothing. */
  readonly doctorHint: string | null;

  /** The doctor checks this backend needs, out of all there are (the order kept). */
  doctorChecks(all: readonly EnvironmentCheck[]): EnvironmentCheck[];

  /** What `up` would do, read from the world once: made on the first call, the same plan after. */
  planUp(): Promise<UpPlan>;
  /** Carries out a plan this backend made. A plan that needs consent is refused without it. */
  applyUp(plan: UpPlan, options: ApplyUpOptions): Promise<UpResult>;

  status(): Promise<BackendStatus>;
  /** Stops a cluster this backend made; the existing context refuses (QedError CLUSTER_NOT_OURS). */
  stop(): Promise<LifecycleOutcome>;
  /** Deletes, only with consent; the existing context refuses (QedError CLUSTER_NOT_OURS). */
  delete(options: { consent: boolean }): Promise<LifecycleOutcome>;

  /**
   * How the cluster's nodes reach the local registry that this machine pushes to
   * at `registryHost` (HOST:PORT). `hosting: null` when the backend does not know:
   * nothing is published and image references are left as they are, and `reason`
   * says so.
   */
  registryHosting(registryHost: string): Promise<RegistryHostingAnswer>;

  /**
   * The commands that reach a Service from this machine; null: the usual
   * `kubectl port-forward` (worked out by the caller, which knows the ports in use).
   */
  serviceAccess(service: ServiceRef): string[] | null;
}

/** The world a backend reads and changes; wired once by the CLI or the pipeline, faked in tests. */
export interface BackendDeps {
  runner: CommandRunner;
  platform(): Promise<PlatformFacts>;
  /** The doctor's report on this machine (run with `doctorChecks`); minikube's driver choice reads it. */
  doctor(): Promise<DoctorReport>;
  /** A connection to `kubeContext`, made when first asked for (the cluster may not exist before `up`). */
  cluster(): Promise<ClusterConnection>;
}

export type UpAction = 'none' | 'start' | 'create' | 'recreate' | 'check';

/** What `up` will do: printed by --dry-run, then handed to applyUp as it is. */
export interface UpPlan {
  kind: BackendKind;
  action: UpAction;
  /** One line: what `up` does. */
  summary: string;
  /** Points to read first (the driver chosen and why, what differs). */
  notes: string[];
  /** One line per step, as it would be typed (`minikube start …    # why`) or done. */
  steps: string[];
  /** Recreating deletes what lives only inside the node: applyUp refuses it without consent. */
  needsConsent: boolean;
  /** The backend's own plan, for --json (minikube: its ClusterPlan). */
  record: unknown;
}

export interface ApplyUpOptions {
  /** Given by --yes or a prompt: may a cluster be deleted and made again. */
  consent: boolean;
  /** Before each step, with its reason. */
  onStep?: (why: string) => void;
  /** The last line of a long command's output (minikube start takes minutes). */
  onOutput?: (line: string) => void;
}

export interface UpResult {
  action: UpAction;
  /** One line for the user. */
  detail: string;
  /** The kube context after `up`; null when it could not be read (no kubectl). */
  context: string | null;
  /** For --json (minikube: its ApplyClusterResult). */
  record: unknown;
}

export interface BackendStatus {
  /** True when the cluster runs and answers as it should. */
  running: boolean;
  /** One line for the user. */
  summary: string;
  /** For --json (minikube: its ClusterStatusRecord). */
  record: unknown;
}

export interface LifecycleOutcome {
  changed: boolean;
  message: string;
  /** For --json. */
  record: unknown;
}

/** The node's half of KEP-1755's local-registry-hosting: how the cluster reaches the registry. */
export interface NodeRegistryHosting {
  /** Where the node's container runtime pulls from: what image names in pod specs use. */
  hostFromContainerRuntime: string;
  /** Where pods reach the registry; absent when the pod network cannot reach it. */
  hostFromClusterNetwork?: string;
}

export type RegistryHostingAnswer = { hosting: NodeRegistryHosting } | { hosting: null; reason: string };

/** A Service as `status` lists it. */
export interface ServiceRef {
  namespace: string;
  name: string;
  /** ClusterIP, NodePort, LoadBalancer, ExternalName. */
  type: string;
}

/**
 * How this machine and a cluster's nodes reach each other: the product's
 * knowledge, whoever made the cluster. A backend that manages the cluster has
 * one; the existing-context backend borrows the one of the product that made
 * its context, when detection recognised it.
 */
export interface ClusterAccess {
  /** The product, for messages ("made by minikube"). */
  product: string;
  registryHosting(registryHost: string): Promise<RegistryHostingAnswer>;
  serviceAccess(service: ServiceRef): string[] | null;
}

/**
 * Checks that matter only when the backend makes the cluster on this machine:
 * minikube itself, its drivers and hardware virtualisation, and the CPUs, memory
 * and disk the node takes. A cluster that already exists brings its own nodes.
 */
export const LOCAL_CLUSTER_CHECKS: ReadonlySet<string> = new Set([
  'minikube',
  'virtualbox',
  'hyperv',
  'kvm2',
  'qemu2',
  'vfkit',
  'podman',
  'parallels',
  'vmware',
  'virtualization',
  'cpu',
  'memory',
  'disk',
]);
