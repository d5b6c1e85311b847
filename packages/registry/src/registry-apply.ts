import { type CommandRunner, QedError, describeCommand, runOrThrow, tailLines } from '@qed/core';
import type { RegistryDownPlan, RegistryUpPlan } from './registry-plan.js';
import { type HealthDeps, waitRegistryHealthy } from './registry-health.js';

export interface RegistryApplyDeps extends HealthDeps {
  runner: CommandRunner;
  /** How long to wait for GET /v2/ after starting. Default 30 s. */
  healthTimeoutMs?: number;
}

export interface RegistryUpResult {
  action: RegistryUpPlan['action'];
  name: string;
  /** null when a registry qed-bootstrap did not start is reused. */
  containerId: string | null;
  /** host:port to tag and push to from this machine. */
  host: string;
  /** Why nothing was changed (actions none and reuse). */
  reason?: string;
}

export interface RegistryDownResult {
  removed: boolean;
  volumeRemoved: boolean;
  /** Why nothing was removed. */
  reason?: string;
}

const DOCKER_TIMEOUT_MS = 120_000;

export async function applyRegistryUp(
  plan: RegistryUpPlan,
  deps: RegistryApplyDeps,
): Promise<RegistryUpResult> {
  if (plan.action === 'reuse') {
    // Found answering the registry API while planning; not ours to wait for or change.
    return { action: 'reuse', name: plan.name, containerId: null, host: plan.host, reason: plan.reason };
  }
  let containerId: string;
  if (plan.action === 'none') {
    containerId = plan.containerId;
  } else {
    const spec = { command: 'docker', args: plan.docker, timeoutMs: DOCKER_TIMEOUT_MS };
    const result = await deps.runner.run(spec);
    if (result.exitCode !== 0) {
      const output = tailLines(result.stderr || result.stdout, 10);
      // Someone took the port between the probe and the run.
      const portTaken = /address already in use|port is already allocated|bind/i.test(output);
      throw new QedError(
        portTaken ? 'REGISTRY_PORT_IN_USE' : 'REGISTRY_START_FAILED',
        `could not ${plan.action} the registry: ${describeCommand(spec)} exited with ${result.exitCode ?? result.signal}`,
        {
          hint: portTaken
            ? `Another process took port ${plan.host.split(':').pop()}: use another --port.`
            : `Read Docker's message above; \`docker logs ${plan.name}\` shows the registry's own.`,
          data: { command: describeCommand(spec), output },
        },
      );
    }
    containerId = plan.action === 'start' ? plan.containerId : result.stdout.trim();
  }
  // Also for "none": a running container is not proof of a serving registry.
  await waitRegistryHealthy(plan.host, { timeoutMs: deps.healthTimeoutMs, name: plan.name }, deps);
  return {
    action: plan.action,
    name: plan.name,
    containerId,
    host: plan.host,
    ...(plan.action === 'none' ? { reason: plan.reason } : {}),
  };
}

export async function applyRegistryDown(
  plan: RegistryDownPlan,
  deps: { runner: CommandRunner },
): Promise<RegistryDownResult> {
  if (plan.action === 'none') return { removed: false, volumeRemoved: false, reason: plan.reason };
  await runOrThrow(
    deps.runner,
    { command: 'docker', args: plan.docker, timeoutMs: DOCKER_TIMEOUT_MS },
    {
      code: 'REGISTRY_REMOVE_FAILED',
      what: `could not remove the registry container ${plan.name}`,
      hint: 'Check `docker ps -a`, then try again.',
    },
  );
  if (plan.volume === null) return { removed: true, volumeRemoved: false };
  const spec = { command: 'docker', args: ['volume', 'rm', plan.volume], timeoutMs: DOCKER_TIMEOUT_MS };
  const result = await deps.runner.run(spec);
  if (result.exitCode !== 0) {
    // Never created (the registry ran without it) is the outcome purge wants anyway.
    if (/no such volume|no volume with name/i.test(result.stderr))
      return { removed: true, volumeRemoved: false };
    throw new QedError(
      'REGISTRY_REMOVE_FAILED',
      `could not remove volume ${plan.volume}: ${describeCommand(spec)} failed`,
      {
        hint: `Is another container using it? See \`docker ps -a --filter volume=${plan.volume}\`.`,
        data: { output: tailLines(result.stderr, 10) },
      },
    );
  }
  return { removed: true, volumeRemoved: true };
}
