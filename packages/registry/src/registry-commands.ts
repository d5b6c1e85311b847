import {
  type RegistryApplyDeps,
  type RegistryDownResult,
  type RegistryUpResult,
  applyRegistryDown,
  applyRegistryUp,
} from './registry-apply.js';
import { type RegistryFactsDeps, gatherPortFacts, gatherRegistryFacts, inspectContainer } from './registry-facts.js';
import type { HealthDeps } from './registry-health.js';
import { planRegistryDown, planRegistryUp } from './registry-plan.js';
import { type RegistryOptions, resolveRegistryOptions } from './registry-options.js';
import { type RegistryStatus, readRegistryStatus } from './registry-status.js';

/** Everything the three commands need, wired once by the CLI. */
export type RegistryDeps = RegistryFactsDeps & Omit<RegistryApplyDeps, 'runner'>;

/** `registry up`: facts, plan, apply. Safe to run again: a running registry is left alone. */
export async function registryUp(
  input: Partial<RegistryOptions>,
  deps: RegistryDeps,
): Promise<RegistryUpResult> {
  const options = resolveRegistryOptions(input);
  const plan = planRegistryUp(await gatherRegistryFacts(options, deps), options);
  return applyRegistryUp(plan, deps);
}

export async function registryStatus(
  input: Partial<RegistryOptions>,
  deps: Pick<RegistryFactsDeps, 'runner'> & HealthDeps,
): Promise<RegistryStatus> {
  const options = resolveRegistryOptions(input);
  return readRegistryStatus(await inspectContainer(deps.runner, options.name), options, deps);
}

/**
 * `registry down`: removes the container of that name; the volume only with
 * `purge` (the CLI asks first). A registry that someone else runs on the port is
 * never stopped; the port is only looked at to say so.
 */
export async function registryDown(
  input: Partial<RegistryOptions> & { purge?: boolean },
  deps: Pick<RegistryFactsDeps, 'runner' | 'probePort' | 'fetch'>,
): Promise<RegistryDownResult> {
  const options = resolveRegistryOptions(input);
  const container = await inspectContainer(deps.runner, options.name);
  const port = container.exists ? undefined : await gatherPortFacts(options, deps, { askRegistryApi: true });
  const plan = planRegistryDown({ container, ...(port ? { port } : {}) }, { ...options, purge: input.purge });
  return applyRegistryDown(plan, deps);
}
