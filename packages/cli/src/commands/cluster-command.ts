import { type ClusterConfig, type ClusterDriver, CONTAINER_RUNTIMES, type ContainerRuntime, EXTRA_CONFIG_PATTERN, QedError } from '@qed/core';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { confirm } from '../confirm.js';
import { openBackend } from '../open-backend.js';

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

/** `qed-bootstrap cluster up|status|stop|delete`: the minikube cluster QED runs on, through the backend the pipeline uses. */
export async function run(ctx: CliContext, options: ClusterCommandOptions, args: string[]): Promise<number> {
  const [action = 'status'] = args;
  const { output } = ctx;
  const { config } = await ctx.loadConfig();
  const flags: Partial<ClusterConfig> = {
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.driver ? { driver: options.driver as ClusterDriver } : {}),
    ...(options.hypervVirtualSwitch ? { hypervVirtualSwitch: options.hypervVirtualSwitch } : {}),
    ...(options.cpus ? { cpus: int('--cpus', options.cpus) } : {}),
    ...(options.memory ? { memoryMb: int('--memory', options.memory) } : {}),
    ...(options.diskSize ? { diskSizeMb: int('--disk-size', options.diskSize) } : {}),
    ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
    ...(options.containerRuntime ? { containerRuntime: containerRuntimeFlag(options.containerRuntime) } : {}),
    ...(options.extraConfig?.length ? { extraConfig: extraConfigFlag(options.extraConfig) } : {}),
  };
  if (!['up', 'status', 'stop', 'delete'].includes(action)) {
    throw new QedError('USAGE', `unknown cluster action "${action}"`, { hint: 'Use one of: up, status, stop, delete.' });
  }
  // -p/--profile names a minikube profile: `cluster` is the minikube backend (as --target minikube is).
  const backend = await openBackend(ctx, { kind: 'minikube', config, flags }, { onDoctor: () => output.info('Checking this machine for a usable driver…') });
  const show = (value: unknown, text: string) => (output.mode.json ? output.json(value) : output.result(text));

  if (action === 'status') {
    const status = await backend.status();
    show(status.record, status.summary);
    return status.running ? 0 : 1;
  }
  if (action === 'stop') {
    const result = await backend.stop();
    show(result.record, result.message);
    return 0;
  }
  if (action === 'delete') {
    const consent = await confirm(ctx, `Delete the ${backend.description} and everything inside its VM?`, options);
    const result = await backend.delete({ consent });
    show(result.record, result.message);
    return 0;
  }

  // The driver is chosen from what the doctor finds on this machine.
  const plan = await backend.planUp();
  for (const note of plan.notes) output.info(`  ${note}`);
  if (options.dryRun) {
    show(plan.record, plan.steps.length === 0 ? `${backend.kubeContext}: nothing to do.` : `Would run:\n${plan.steps.map((step) => `  ${step}`).join('\n')}`);
    return 0;
  }
  const consent = plan.needsConsent ? await confirm(ctx, `Recreate the ${backend.description}? Its VM and everything only inside it is deleted.`, options) : false;
  const result = await backend.applyUp(plan, { consent, onStep: (why) => output.info(`  ${why}…`) });
  show(result.record, `${result.detail}.`);
  return 0;
}
