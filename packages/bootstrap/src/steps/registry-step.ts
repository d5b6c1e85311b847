import { QedError } from '@qed/core';
import { minikubeRegistryHosting, type NodeRegistryHosting } from '@qed/minikube';
import {
  applyRegistryUp,
  gatherRegistryFacts,
  LOCAL_REGISTRY_HOSTING_HELP,
  LOCAL_REGISTRY_HOSTING_NAME,
  LOCAL_REGISTRY_HOSTING_NAMESPACE,
  planRegistryUp,
  type RegistryOptions,
  type RegistryUpPlan,
  publishLocalRegistryHosting,
  resolveRegistryOptions,
} from '@qed/registry';
import type { BootstrapStep, StepContext } from '../pipeline-types.js';

/** The port of registry.host (HOST:PORT), the one the container publishes. */
export function registryPort(host: string): number {
  const port = Number(/:(\d+)$/.exec(host)?.[1]);
  if (!Number.isInteger(port)) {
    throw new QedError('CONFIG_INVALID', `registry.host ${JSON.stringify(host)} has no port`, { hint: 'Write it as HOST:PORT, e.g. 127.0.0.1:5000.' });
  }
  return port;
}

export function registryOptionsOf(ctx: StepContext): RegistryOptions {
  return resolveRegistryOptions({ port: registryPort(ctx.input.config.registry.host), name: ctx.input.config.registry.name });
}

/** Why the KEP-1755 ConfigMap is only published for minikube: the cluster backend knows how its nodes reach the registry. */
export const WIRING_SKIPPED_REASON =
  'local-registry-hosting not published: qed-bootstrap knows how a minikube node reaches this machine; an existing context reaches its registry its own way';

/** `registry up`, then (minikube) the local-registry-hosting ConfigMap that tells the cluster where it is. */
export const registryStep: BootstrapStep = {
  id: 'registry',
  title: 'Local registry',
  async plan(ctx) {
    const plan = await planRegistry(ctx);
    const wiring = ctx.input.target.kind === 'minikube' ? await wiringLine(ctx) : `skip: ${WIRING_SKIPPED_REASON}`;
    return {
      summary:
        plan.action === 'none' ? `registry ${plan.name} already serves ${plan.host}` : plan.action === 'reuse' ? `use the registry that already serves ${plan.host}` : `${plan.action} registry ${plan.name} at ${plan.host}`,
      lines: [
        plan.action === 'none' || plan.action === 'reuse' ? plan.reason : `docker ${plan.docker.join(' ')}`,
        plan.action === 'reuse' ? `GET http://${plan.host}/v2/ answered as a registry; nothing to wait for` : `wait until GET http://${plan.host}/v2/ answers 200`,
        wiring,
      ],
    };
  },
  async apply(ctx) {
    const plan = await planRegistry(ctx);
    const result = await applyRegistryUp(plan, { runner: ctx.deps.runner });
    const done =
      result.action === 'none'
        ? `${result.name} already serves ${result.host}`
        : result.action === 'reuse'
          ? (result.reason ?? `a registry already serves ${result.host}`)
          : `${result.name} ${result.action === 'start' ? 'started' : 'created'} at ${result.host}`;
    if (ctx.input.target.kind !== 'minikube') return { detail: `${done}; ${WIRING_SKIPPED_REASON}` };
    const node = await nodeHosting(ctx);
    const { api } = await ctx.cluster();
    await publishLocalRegistryHosting(api, { hostFromHost: result.host, ...node, help: LOCAL_REGISTRY_HOSTING_HELP });
    return { detail: `${done}; the cluster pulls from ${node.hostFromContainerRuntime}` };
  },
};

/** How the run's minikube node reaches registry.host: the cluster backend's answer for the planned driver. */
async function nodeHosting(ctx: StepContext): Promise<NodeRegistryHosting> {
  const plan = await ctx.minikubePlan();
  return minikubeRegistryHosting(plan.desired.driver, ctx.input.config.registry.host);
}

async function planRegistry(ctx: StepContext): Promise<RegistryUpPlan> {
  const options = registryOptionsOf(ctx);
  const platform = await ctx.platform();
  return planRegistryUp(await gatherRegistryFacts(options, { runner: ctx.deps.runner, platform }), options);
}

async function wiringLine(ctx: StepContext): Promise<string> {
  const what = `server-side apply ConfigMap ${LOCAL_REGISTRY_HOSTING_NAMESPACE}/${LOCAL_REGISTRY_HOSTING_NAME}`;
  try {
    return `${what} (the cluster pulls from ${(await nodeHosting(ctx)).hostFromContainerRuntime})`;
  } catch {
    // The cluster step's plan says why it cannot be made; the registry itself does not depend on it.
    return `${what} (where the node pulls from is known once the cluster step can be planned)`;
  }
}
