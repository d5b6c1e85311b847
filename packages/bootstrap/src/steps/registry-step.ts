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
import type { RegistryHostingAnswer } from '@qed/cluster';
import type { BootstrapStep, StepContext } from '../pipeline-types.js';

export function registryOptionsOf(ctx: StepContext): RegistryOptions {
  return resolveRegistryOptions({ port: parseRegistryEndpoint(ctx.input.config.registry.host).port, name: ctx.input.config.registry.name });
}

/** Said in place of the ConfigMap when the backend does not know how its nodes reach this machine. */
const NOT_PUBLISHED = 'local-registry-hosting not published';

export interface RegistryStepPlan {
  registry: RegistryUpPlan;
  /**
   * How the cluster's nodes reach the registry, as the run's backend answers;
   * `unknown` only in a dry run, when that needs a cluster the cluster step has
   * not made yet.
   */
  hosting: RegistryHostingAnswer | { unknown: string };
}

/** `registry up`, then the local-registry-hosting ConfigMap that tells the cluster where it is, as its backend knows. */
export const registryStep: BootstrapStep<RegistryStepPlan> = {
  id: 'registry',
  title: 'Local registry',
  async plan(ctx) {
    const options = registryOptionsOf(ctx);
    const platform = await ctx.platform();
    const registry = planRegistryUp(await gatherRegistryFacts(options, { runner: ctx.deps.runner, platform }), options);
    const answer = (await ctx.backend()).registryHosting(ctx.input.config.registry.host);
    // The registry itself does not depend on the cluster; a dry run shows it even when where the node pulls from is not known yet.
    const hosting = ctx.dryRun ? await answer.catch((error: Error) => ({ unknown: error.message })) : await answer;
    return { registry, hosting };
  },
  describe({ registry: plan, hosting }) {
    return {
      summary:
        plan.action === 'none' ? `registry ${plan.name} already serves ${plan.host}` : plan.action === 'reuse' ? `use the registry that already serves ${plan.host}` : `${plan.action} registry ${plan.name} at ${plan.host}`,
      lines: [
        plan.action === 'none' || plan.action === 'reuse' ? plan.reason : `docker ${plan.docker.join(' ')}`,
        plan.action === 'reuse' ? `GET http://${plan.host}/v2/ answered as a registry; nothing to wait for` : `wait until GET http://${plan.host}/v2/ answers 200`,
        wiringLine(hosting),
      ],
    };
  },
  async apply(ctx, plan) {
    const result = await applyRegistryUp(plan.registry, { runner: ctx.deps.runner });
    const done =
      result.action === 'none'
        ? `${result.name} already serves ${result.host}`
        : result.action === 'reuse'
          ? (result.reason ?? `a registry already serves ${result.host}`)
          : `${result.name} ${result.action === 'start' ? 'started' : 'created'} at ${result.host}`;
    if ('unknown' in plan.hosting) throw new Error(`where the cluster pulls from was not planned: ${plan.hosting.unknown}`);
    if (plan.hosting.hosting === null) return { detail: `${done}; ${NOT_PUBLISHED}: ${plan.hosting.reason}` };
    const { api } = await ctx.cluster();
    await publishLocalRegistryHosting(api, { hostFromHost: result.host, ...plan.hosting.hosting, help: LOCAL_REGISTRY_HOSTING_HELP });
    return { detail: `${done}; the cluster pulls from ${plan.hosting.hosting.hostFromContainerRuntime}` };
  },
};

function wiringLine(hosting: RegistryStepPlan['hosting']): string {
  const what = `server-side apply ConfigMap ${LOCAL_REGISTRY_HOSTING_NAMESPACE}/${LOCAL_REGISTRY_HOSTING_NAME}`;
  if ('unknown' in hosting) return `${what} (where the node pulls from is known once the cluster step can be planned)`;
  return hosting.hosting === null ? `skip: ${NOT_PUBLISHED}: ${hosting.reason}` : `${what} (the cluster pulls from ${hosting.hosting.hostFromContainerRuntime})`;
}
