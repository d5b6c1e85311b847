import { describeCommand, type CommandRunner } from '@qed/core';
import type { EnvironmentCheck } from '@qed/env-check';
import {
  applyClusterPlan,
  clusterDelete,
  type ClusterOptions,
  type ClusterPlan,
  clusterStatus,
  type ClusterStatusRecord,
  clusterStop,
  gatherClusterFacts,
  minikubeRegistryHosting,
  planCluster,
  profileDriver,
} from '@qed/minikube';
import type { BackendDeps, ClusterAccess, ClusterBackend, LifecycleOutcome, UpPlan } from '../cluster-backend.js';

/** The provider minikube writes on the contexts (and clusters) it adds to the kubeconfig. */
export const MINIKUBE_PROVIDER = 'minikube.sigs.k8s.io';

/**
 * How a minikube cluster is reached, given how to learn its driver: the node pulls
 * from this machine's alias (or from 127.0.0.1 on `none`, where the node is this
 * machine), and a NodePort or LoadBalancer Service through `minikube service`.
 */
export function minikubeAccess(profile: string, driver: () => Promise<string | null>): ClusterAccess {
  return {
    product: 'minikube',
    async registryHosting(registryHost) {
      return { hosting: minikubeRegistryHosting(await driver(), registryHost) };
    },
    serviceAccess({ namespace, name, type }) {
      return type === 'NodePort' || type === 'LoadBalancer' ? [`minikube service -p ${profile} -n ${namespace} ${name} --url`] : null;
    },
  };
}

/**
 * A context minikube made, used as it is: its driver is read from minikube's
 * profile list (null when minikube or the profile is gone: the VM or node
 * container answer, minikube's usual case).
 */
export function madeByMinikube(runner: CommandRunner, profile: string): ClusterAccess {
  return minikubeAccess(profile, () => profileDriver(runner, profile).catch(() => null));
}

/**
 * The minikube profile `options.profile`, which `up` creates, starts or recreates
 * to match `options` (the config's cluster section with the flags laid over it).
 */
export function minikubeBackend(deps: BackendDeps, options: ClusterOptions): ClusterBackend {
  const { profile } = options;
  const made = new WeakMap<UpPlan, ClusterPlan>();
  let planned: Promise<{ up: UpPlan; plan: ClusterPlan }> | undefined;

  /** minikube's state and the doctor's findings (which choose the driver), read once. */
  const plan = () => {
    planned ??= (async () => {
      const platform = await deps.platform();
      const doctor = await deps.doctor();
      const facts = await gatherClusterFacts(deps.runner, { profile, os: platform.os, arch: platform.arch, doctor: doctor.checks });
      const plan = planCluster(facts, options);
      const up: UpPlan = {
        kind: 'minikube',
        action: plan.action,
        summary: plan.action === 'none' ? `minikube profile ${profile} runs with the wanted settings: nothing to do` : `${plan.action} minikube profile ${profile}`,
        notes: plan.notes,
        steps: plan.steps.map((step) => `${describeCommand(step)}    # ${step.why}`),
        needsConsent: plan.needsConsent,
        record: plan,
      };
      made.set(up, plan);
      return { up, plan };
    })();
    return planned;
  };
  // A plan made before `up` names the driver the cluster gets, which is how its node reaches the registry.
  const access = minikubeAccess(profile, async () => (await plan()).plan.desired.driver);
  const lifecycle = (result: { changed: boolean; message: string }): LifecycleOutcome => ({ changed: result.changed, message: result.message, record: result });

  return {
    kind: 'minikube',
    kubeContext: profile,
    description: `minikube profile ${profile}`,
    doctorHint: 'Deploying to an existing cluster instead? --target context:NAME needs no minikube.',
    doctorChecks: (all: readonly EnvironmentCheck[]) => [...all],
    planUp: async () => (await plan()).up,
    async applyUp(up, { consent, onStep, onOutput }) {
      const clusterPlan = made.get(up);
      if (!clusterPlan) throw new Error(`the minikube backend was given a plan it did not make (${up.kind}): a bug in the caller`);
      const result = await applyClusterPlan(clusterPlan, {
        runner: deps.runner,
        consent,
        onStep: (step) => onStep?.(step.why),
        ...(onOutput
          ? {
              onOutput: (chunk: string) => {
                const line = chunk.trimEnd().split('\n').pop();
                if (line) onOutput(line);
              },
            }
          : {}),
      });
      return {
        action: result.action,
        detail:
          result.action === 'none'
            ? `${profile} already runs with the wanted settings; nothing to do (context ${result.context ?? 'unknown'})`
            : `${profile}: ${result.action} done; kubectl context ${result.context ?? '(kubectl not found)'}`,
        context: result.context,
        record: result,
      };
    },
    async status() {
      const record = await clusterStatus(deps.runner, profile);
      return { running: record.state === 'running', summary: statusLine(record), record };
    },
    stop: async () => lifecycle(await clusterStop(deps.runner, profile)),
    delete: async ({ consent }) => lifecycle(await clusterDelete(deps.runner, profile, { consent })),
    registryHosting: (registryHost) => access.registryHosting(registryHost),
    serviceAccess: (service) => access.serviceAccess(service),
  };
}

function statusLine(s: ClusterStatusRecord): string {
  const about = [s.driver, s.kubernetesVersion ? `Kubernetes ${s.kubernetesVersion}` : null].filter(Boolean).join(', ');
  return `${s.profile}: ${s.state}${about ? ` (${about})` : ''}${s.ip ? `, ${s.ip}` : ''}`;
}
