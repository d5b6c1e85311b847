import { parseRegistryEndpoint } from '@qed/core';
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

export function registryOptionsOf(ctx: StepContext): RegistryOptions {
  return resolveRegistryOptions({ port: parseRegistryEndpoint(ctx.input.config.registry.host).port, name: ctx.input.config.registry.name });
}

/** Said in place of the ConfigMap when the backend does not know how its nodes reach this machine. */
const NOT_PUBLISHED = 'local-registry-hosting not published';

/** `registry up`, then the local-registry-hosting ConfigMap that tells the cluster where it is, as its backend knows. */
export const registryStep: BootstrapStep = {
  id: 'registry',
  title: 'Local registry',
  async plan(ctx) {
    const plan = await planRegistry(ctx);
    const wiring = await wiringLine(ctx);
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
    const answer = await (await ctx.backend()).registryHosting(ctx.input.config.registry.host);
    if (answer.hosting === null) return { detail: `${done}; ${NOT_PUBLISHED}: ${answer.reason}` };
    const { api } = await ctx.cluster();
    await publishLocalRegistryHosting(api, { hostFromHost: result.host, ...answer.hosting, help: LOCAL_REGISTRY_HOSTING_HELP });
    return { detail: `${done}; the cluster pulls from ${answer.hosting.hostFromContainerRuntime}` };
  },
};

async function planRegistry(ctx: StepContext): Promise<RegistryUpPlan> {
  const options = registryOptionsOf(ctx);
  const platform = await ctx.platform();
  return planRegistryUp(await gatherRegistryFacts(options, { runner: ctx.deps.runner, platform }), options);
}

async function wiringLine(ctx: StepContext): Promise<string> {
  const what = `server-side apply ConfigMap ${LOCAL_REGISTRY_HOSTING_NAMESPACE}/${LOCAL_REGISTRY_HOSTING_NAME}`;
  const backend = await ctx.backend();
  try {
    const answer = await backend.registryHosting(ctx.input.config.registry.host);
    return answer.hosting === null ? `skip: ${NOT_PUBLISHED}: ${answer.reason}` : `${what} (the cluster pulls from ${answer.hosting.hostFromContainerRuntime})`;
  } catch {
    // The cluster step's plan says why it cannot be made; the registry itself does not depend on it.
    return `${what} (where the node pulls from is known once the cluster step can be planned)`;
  }
}
