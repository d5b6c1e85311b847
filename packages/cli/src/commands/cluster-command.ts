import { type ClusterDriver, CONTAINER_RUNTIMES, type ContainerRuntime, describeCommand, detectPlatform, EXTRA_CONFIG_PATTERN, QedError } from '@qed/core';
import { type CheckResult, nodeCheckContext, runDoctor } from '@qed/env-check';
import {
  applyClusterPlan,
  clusterDelete,
  clusterOptionsFrom,
  clusterStatus,
  clusterStop,
  gatherClusterFacts,
  planCluster,
} from '@qed/minikube';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { confirm } from '../confirm.js';

interface ClusterCommandOptions extends GlobalOptions {
  profile?: string;
  driver?: string;
  hypervVirtualSwitch?: string;
  cpus?: string;
  memory?: string;
  diskSize?: string;
  kubernetesVersion?: string;
  containerRuntime?: string;
  extraConfig?: string[];
  dryRun?: boolean;
}

/** The flags get the checks qed.config.yaml's schema gives the same keys. */
function containerRuntimeFlag(value: string | undefined): ContainerRuntime | undefined {
  if (value === undefined) return undefined;
  if ((CONTAINER_RUNTIMES as readonly string[]).includes(value)) return value as ContainerRuntime;
  throw new QedError('USAGE', `--container-runtime must be one of ${CONTAINER_RUNTIMES.join(', ')}, not "${value}"`, { hint: 'For example --container-runtime containerd.' });
}

function extraConfigFlag(values: string[] | undefined): string[] | undefined {
  const bad = values?.find((v) => !new RegExp(EXTRA_CONFIG_PATTERN).test(v));
  if (bad !== undefined) {
    throw new QedError('USAGE', `--extra-config must be component.key=value with a component minikube knows (kubelet, kubeadm, apiserver, controller-manager, scheduler, etcd, kube-proxy), not "${bad}"`, {
      hint: 'For example --extra-config kubelet.fail-cgroupv1=false.',
    });
  }
  return values;
}

const int = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new QedError('USAGE', `${flag} must be a positive whole number, not "${value}"`, { hint: `For example ${flag} 4.` });
  return n;
};

/** `qed-bootstrap cluster up|status|stop|delete`: the minikube cluster QED runs on. */
export async function run(ctx: CliContext, options: ClusterCommandOptions, args: string[]): Promise<number> {
  const [action = 'status'] = args;
  const { output } = ctx;
  const { config } = await ctx.loadConfig();
  const cluster = clusterOptionsFrom(config, {
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.driver ? { driver: options.driver as ClusterDriver } : {}),
    ...(options.hypervVirtualSwitch ? { hypervVirtualSwitch: options.hypervVirtualSwitch } : {}),
    ...(options.cpus ? { cpus: int('--cpus', options.cpus) } : {}),
    ...(options.memory ? { memoryMb: int('--memory', options.memory) } : {}),
    ...(options.diskSize ? { diskSizeMb: int('--disk-size', options.diskSize) } : {}),
    ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
    ...(options.containerRuntime ? { containerRuntime: containerRuntimeFlag(options.containerRuntime) } : {}),
    ...(options.extraConfig?.length ? { extraConfig: extraConfigFlag(options.extraConfig) } : {}),
  });
  const show = (value: unknown, text: string) => (output.mode.json ? output.json(value) : output.result(text));

  if (action === 'status') {
    const status = await clusterStatus(ctx.runner, cluster.profile);
    show(status, `${status.profile}: ${status.state}${status.driver ? ` (${status.driver}` : ''}${status.kubernetesVersion ? `, Kubernetes ${status.kubernetesVersion}` : ''}${status.driver ? ')' : ''}${status.ip ? `, ${status.ip}` : ''}`);
    return status.state === 'running' ? 0 : 1;
  }
  if (action === 'stop') {
    const result = await clusterStop(ctx.runner, cluster.profile);
    show(result, result.message);
    return 0;
  }
  if (action === 'delete') {
    const consent = await confirm(ctx, `Delete the minikube cluster ${cluster.profile} and everything inside its VM?`, options);
    const result = await clusterDelete(ctx.runner, cluster.profile, { consent });
    show(result, result.message);
    return 0;
  }
  if (action !== 'up') {
    throw new QedError('USAGE', `unknown cluster action "${action}"`, { hint: 'Use one of: up, status, stop, delete.' });
  }

  // The driver is chosen from what the doctor finds on this machine.
  const platform = await detectPlatform();
  output.info('Checking this machine for a usable driver…');
  const doctor = await runDoctor(nodeCheckContext({ runner: ctx.runner, platform, config, env: ctx.env }));
  const facts = await gatherClusterFacts(ctx.runner, {
    profile: cluster.profile,
    os: platform.os,
    arch: platform.arch,
    doctor: doctor.checks.map((c: CheckResult) => ({ id: c.id, status: c.status, version: c.version, detail: c.detail, ...(c.hint ? { hint: c.hint } : {}) })),
  });
  const plan = planCluster(facts, cluster);
  for (const note of plan.notes) output.info(`  ${note}`);
  if (options.dryRun) {
    show(plan, plan.steps.length === 0 ? `${plan.profile}: nothing to do.` : `Would run:\n${plan.steps.map((s) => `  ${describeCommand(s)}    # ${s.why}`).join('\n')}`);
    return 0;
  }
  const consent = plan.needsConsent
    ? await confirm(ctx, `Recreate the cluster ${plan.profile}? Its VM and everything only inside it is deleted.`, options)
    : false;
  const result = await applyClusterPlan(plan, {
    runner: ctx.runner,
    consent,
    onStep: (step: { why: string }) => output.info(`  ${step.why}…`),
  });
  show(result, plan.action === 'none' ? `${plan.profile} is running with the wanted settings; nothing to do.` : `${plan.profile}: ${result.action} done; kubectl context ${result.context ?? '(kubectl not found)'}.`);
  return 0;
}
