import { QedError } from '@qed/core';
import {
  applyRegistryUp,
  gatherRegistryFacts,
  LOCAL_REGISTRY_HOSTING_NAME,
  LOCAL_REGISTRY_HOSTING_NAMESPACE,
  minikubeRegistryHosting,
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

/** Why the KEP-1755 ConfigMap is only published for minikube: its names are minikube's. */
export const WIRING_SKIPPED_REASON =
  'local-registry-hosting not published: host.minikube.internal is how a minikube node reaches this machine; an existing context reaches its registry its own way';

/** `registry up`, then (minikube) the local-registry-hosting ConfigMap that tells the cluster where it is. */
export const registryStep: BootstrapStep = {
  id: 'registry',
  title: 'Local registry',
  async plan(ctx) {
    const plan = await planRegistry(ctx);
    const wiring = ctx.input.target.kind === 'minikube' ? wiringLine(plan.host) : `skip: ${WIRING_SKIPPED_REASON}`;
    return {
      summary: plan.action === 'none' ? `registry ${plan.name} already serves ${plan.host}` : `${plan.action} registry ${plan.name} at ${plan.host}`,
      lines: [plan.action === 'none' ? plan.reason : `docker ${plan.docker.join(' ')}`, `wait until GET http://${plan.host}/v2/ answers 200`, wiring],
    };
  },
  async apply(ctx) {
    const plan = await planRegistry(ctx);
    const result = await applyRegistryUp(plan, { runner: ctx.deps.runner });
    const done = result.action === 'none' ? `${result.name} already serves ${result.host}` : `${result.name} ${result.action === 'start' ? 'started' : 'created'} at ${result.host}`;
    if (ctx.input.target.kind !== 'minikube') return { detail: `${done}; ${WIRING_SKIPPED_REASON}` };
    const { api } = await ctx.cluster();
    const hosting = minikubeRegistryHosting(registryPort(ctx.input.config.registry.host), result.host);
    await publishLocalRegistryHosting(api, hosting);
    return { detail: `${done}; the cluster pulls from ${hosting.hostFromContainerRuntime}` };
  },
};

async function planRegistry(ctx: StepContext): Promise<RegistryUpPlan> {
  const options = registryOptionsOf(ctx);
  const platform = await ctx.platform();
  return planRegistryUp(await gatherRegistryFacts(options, { runner: ctx.deps.runner, platform }), options);
}

function wiringLine(host: string): string {
  const port = host.split(':').pop();
  return `server-side apply ConfigMap ${LOCAL_REGISTRY_HOSTING_NAMESPACE}/${LOCAL_REGISTRY_HOSTING_NAME} (the cluster pulls from host.minikube.internal:${port})`;
}
