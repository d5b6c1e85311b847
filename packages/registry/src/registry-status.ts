import type { ContainerFacts } from './registry-facts.js';
import { isRegistryHealthy, listRepositories, type HealthDeps } from './registry-health.js';
import { isRegistryImage } from './registry-plan.js';
import type { RegistryOptions } from './registry-options.js';

export type RegistryState = 'absent' | 'running' | 'stopped' | 'not-a-registry';

export interface RegistryStatus {
  name: string;
  state: RegistryState;
  /** Docker's own state word when the container exists (running, exited, paused…). */
  containerStatus: string | null;
  containerId: string | null;
  /** Where it is reached from this machine; the container's published port wins over --port. */
  host: string;
  healthy: boolean;
  repositories: string[];
}

export async function readRegistryStatus(
  container: ContainerFacts,
  options: Pick<RegistryOptions, 'name' | 'port' | 'bindAddress'>,
  deps: HealthDeps = {},
): Promise<RegistryStatus> {
  const port = container.exists && container.hostPort !== null ? container.hostPort : options.port;
  const address = options.bindAddress === '0.0.0.0' ? '127.0.0.1' : options.bindAddress;
  const host = `${address}:${port}`;
  const base = {
    name: options.name,
    host,
    containerStatus: container.exists ? container.status : null,
    containerId: container.exists ? container.id : null,
  };
  if (!container.exists) return { ...base, state: 'absent', healthy: false, repositories: [] };
  if (!isRegistryImage(container.image))
    return { ...base, state: 'not-a-registry', healthy: false, repositories: [] };
  if (!container.running) return { ...base, state: 'stopped', healthy: false, repositories: [] };
  const healthy = await isRegistryHealthy(host, deps);
  return {
    ...base,
    state: 'running',
    healthy,
    repositories: healthy ? await listRepositories(host, deps) : [],
  };
}
