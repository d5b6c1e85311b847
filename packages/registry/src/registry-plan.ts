import { QedError } from '@qed/core';
import type { PortHolder } from '@qed/core';
import type { RegistryFacts } from './registry-facts.js';
import {
  REGISTRY_CONTAINER_PORT,
  type RegistryOptions,
  registryHost,
  registryVolumeName,
} from './registry-options.js';

/** What `registry up` would do. Pure data: `--dry-run` prints it, tests snapshot it. */
export type RegistryUpPlan =
  | { action: 'none'; name: string; host: string; containerId: string; reason: string }
  | { action: 'start'; name: string; host: string; containerId: string; docker: string[] }
  | { action: 'run'; name: string; host: string; volume: string; docker: string[] };

export type RegistryDownPlan =
  | { action: 'none'; name: string; reason: string }
  | { action: 'remove'; name: string; containerId: string; docker: string[]; volume: string | null };

/**
 * True for the registry image under any of the names engines give it:
 * registry:2, docker.io/library/registry:2, and podman's localhost/registry:2 for
 * a locally built one.
 */
export function isRegistryImage(image: string): boolean {
  const withoutDigest = image.split('@')[0] ?? '';
  const slash = withoutDigest.lastIndexOf('/');
  const lastPart = withoutDigest.slice(slash + 1);
  const repo = lastPart.split(':')[0];
  const prefix = slash < 0 ? '' : withoutDigest.slice(0, slash);
  const knownPrefixes = [
    '',
    'library',
    'docker.io',
    'docker.io/library',
    'index.docker.io/library',
    'localhost',
  ];
  return repo === 'registry' && knownPrefixes.includes(prefix);
}

export function planRegistryUp(facts: RegistryFacts, options: RegistryOptions): RegistryUpPlan {
  const { name } = options;
  const host = registryHost(options);
  const container = facts.container;
  if (container.exists) {
    if (!isRegistryImage(container.image)) throw notARegistry(name, container.image);
    if (container.hostPort !== null && container.hostPort !== options.port) {
      throw new QedError(
        'REGISTRY_PORT_MISMATCH',
        `container ${name} publishes the registry on port ${container.hostPort}, not ${options.port}`,
        {
          hint: `Use --port ${container.hostPort}, or run \`qed-bootstrap registry down --name ${name}\` first (pushed images are kept in volume ${registryVolumeName(name)}).`,
          data: { name, port: options.port, containerPort: container.hostPort },
        },
      );
    }
    if (container.running) {
      // The container itself holds the port, so the port probe says nothing here.
      return { action: 'none', name, host, containerId: container.id, reason: `${name} is already running` };
    }
    assertPortFree(facts, options);
    return { action: 'start', name, host, containerId: container.id, docker: ['start', name] };
  }
  assertPortFree(facts, options);
  const volume = registryVolumeName(name);
  return {
    action: 'run',
    name,
    host,
    volume,
    docker: [
      'run',
      '--detach',
      '--publish',
      `${options.bindAddress}:${options.port}:${REGISTRY_CONTAINER_PORT}`,
      '--restart=always',
      '--volume',
      // The registry image keeps its blobs in /var/lib/registry: a named volume keeps
      // pushed images when the container is removed and created again.
      `${volume}:/var/lib/registry`,
      '--name',
      name,
      options.image,
    ],
  };
}

export function planRegistryDown(
  facts: Pick<RegistryFacts, 'container'>,
  options: Pick<RegistryOptions, 'name'> & { purge?: boolean },
): RegistryDownPlan {
  const { name } = options;
  const container = facts.container;
  if (!container.exists) return { action: 'none', name, reason: `no container named ${name}` };
  // Removing a container we did not create would be destroying someone's work.
  if (!isRegistryImage(container.image)) throw notARegistry(name, container.image);
  return {
    action: 'remove',
    name,
    containerId: container.id,
    docker: ['rm', '--force', name],
    volume: options.purge ? registryVolumeName(name) : null,
  };
}

function notARegistry(name: string, image: string): QedError {
  return new QedError(
    'REGISTRY_NAME_TAKEN',
    `a container named ${name} exists but runs ${image}, not a registry`,
    {
      hint: `Choose another name with --name, or remove that container (\`docker rm -f ${name}\`) if you no longer need it.`,
      data: { name, image },
    },
  );
}

function assertPortFree(facts: RegistryFacts, options: RegistryOptions): void {
  if (facts.port.free) return;
  throw portInUse(facts.port.holder, facts.os, options);
}

/** The error for a port someone else holds, naming them when lsof could. */
export function portInUse(
  holder: PortHolder | null,
  os: RegistryFacts['os'],
  options: RegistryOptions,
): QedError {
  const who = holder?.command
    ? `${holder.command}${holder.pid === null ? '' : ` (pid ${holder.pid})`}`
    : holder?.pid
      ? `process ${holder.pid}`
      : null;
  const next = options.port === 5000 ? 5001 : options.port + 1;
  // On macOS 12+ the AirPlay Receiver (ControlCenter) listens on 5000: the most
  // common reason the guide's `-p 5000:5000` fails on a Mac.
  const airplay = os === 'macos' && options.port === 5000;
  const message = `port ${options.port} on ${options.bindAddress} is already in use${who ? ` by ${who}` : ''}${
    airplay && !who ? ' (on macOS usually the AirPlay Receiver)' : ''
  }`;
  const hint = airplay
    ? `macOS's AirPlay Receiver listens on port 5000: use another port (--port ${next}), or turn it off in System Settings > General > AirDrop & Handoff > AirPlay Receiver.`
    : `Use another port (--port ${next})${who ? `, or stop ${who}` : ''}.`;
  return new QedError('REGISTRY_PORT_IN_USE', message, {
    hint,
    data: {
      port: options.port,
      bindAddress: options.bindAddress,
      pid: holder?.pid ?? null,
      command: holder?.command ?? null,
    },
  });
}
