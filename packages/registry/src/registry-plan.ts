import { QedError } from '@qed/core';
import type { PortHolder } from '@qed/core';
import type { PortFacts, RegistryFacts } from './registry-facts.js';
import {
  REGISTRY_CONTAINER_PORT,
  type RegistryOptions,
  registryHost,
  registryVolumeName,
} from './registry-options.js';

/**
 * What `registry up` would do. Pure data: `--dry-run` prints it, tests snapshot it.
 * `reuse`: no container of that name, but a registry that qed-bootstrap did not
 * start already serves the port; it is used as it is and never changed.
 */
export type RegistryUpPlan =
  | { action: 'none'; name: string; host: string; containerId: string; reason: string }
  | { action: 'start'; name: string; host: string; containerId: string; docker: string[] }
  | { action: 'run'; name: string; host: string; volume: string; docker: string[] }
  | { action: 'reuse'; name: string; host: string; holder: PortHolder | null; reason: string };

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
  if (!facts.port.free && facts.port.servesRegistry === true) {
    return { action: 'reuse', name, host, holder: facts.port.holder, reason: foreignRegistry(host, facts.port.holder, 'it is used as it is') };
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

/**
 * Removes only the container of the chosen name, never whatever else serves the
 * port: `port` (read when that container is absent) only words the reason.
 */
export function planRegistryDown(
  facts: Pick<RegistryFacts, 'container'> & { port?: PortFacts },
  options: Pick<RegistryOptions, 'name' | 'bindAddress' | 'port'> & { purge?: boolean },
): RegistryDownPlan {
  const { name } = options;
  const container = facts.container;
  if (!container.exists) {
    const port = facts.port;
    const reason =
      port && !port.free && port.servesRegistry === true
        ? `no container named ${name}; ${foreignRegistry(registryHost(options), port.holder, 'it is left running')}`
        : `no container named ${name}`;
    return { action: 'none', name, reason };
  }
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

/** "registry (pid 42)", "process 42", or null when lsof could not say. */
export function describeHolder(holder: PortHolder | null): string | null {
  if (holder?.command) return `${holder.command}${holder.pid === null ? '' : ` (pid ${holder.pid})`}`;
  return holder?.pid ? `process ${holder.pid}` : null;
}

function foreignRegistry(host: string, holder: PortHolder | null, outcome: string): string {
  const who = describeHolder(holder);
  return `${host} is served by a registry that qed-bootstrap did not start (${who ? `held by ${who}` : 'lsof could not say which process holds the port'}): ${outcome}, and \`registry down\` never stops it`;
}

/** The error for a port someone else holds, naming them when lsof could. */
export function portInUse(
  holder: PortHolder | null,
  os: RegistryFacts['os'],
  options: RegistryOptions,
): QedError {
  const who = describeHolder(holder);
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
