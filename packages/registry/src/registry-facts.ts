import net from 'node:net';
import {
  type CommandRunner,
  describeCommand,
  findPortHolder,
  type OperatingSystem,
  type PortHolder,
  QedError,
  tailLines,
} from '@qed/core';
import { answersAsRegistry, type HttpGet } from './registry-health.js';
import { REGISTRY_CONTAINER_PORT, type RegistryOptions, registryHost } from './registry-options.js';

/** What `docker container inspect` says about the container of the chosen name. */
export type ContainerFacts =
  | { exists: false }
  | {
      exists: true;
      id: string;
      /** The image as the container was created from it, e.g. `registry:2`. */
      image: string;
      running: boolean;
      /** Docker's state word: running, exited, created, paused … */
      status: string;
      /** The host port published for the registry's port 5000, when any. */
      hostPort: number | null;
    };

/**
 * Who holds the port: the process, as far as `lsof` could tell, and whether it
 * answers the registry API (asked only when no container of the chosen name
 * exists: a registry of the user's own, ctlptl's or k3d's, is then used as it is).
 */
export type PortFacts = { free: true } | { free: false; holder: PortHolder | null; servesRegistry?: boolean };

export interface RegistryFacts {
  container: ContainerFacts;
  /** Who holds the requested port on the bind address; read before anything is changed. */
  port: PortFacts;
  os: OperatingSystem;
}

export interface RegistryFactsDeps {
  runner: CommandRunner;
  platform: { os: OperatingSystem };
  /** True when `port` can be bound on `address`; injectable for unit tests. */
  probePort?: (address: string, port: number) => Promise<boolean>;
  /** GET for the registry API check on a held port; default fetch. */
  fetch?: HttpGet;
}

const DOCKER_TIMEOUT_MS = 30_000;

export async function gatherRegistryFacts(
  options: RegistryOptions,
  deps: RegistryFactsDeps,
): Promise<RegistryFacts> {
  const container = await inspectContainer(deps.runner, options.name);
  const port = await gatherPortFacts(options, deps, { askRegistryApi: !container.exists });
  return { container, port, os: deps.platform.os };
}

/** Whether the port is free, and if not who holds it (and, when asked, whether it is a registry). */
export async function gatherPortFacts(
  options: RegistryOptions,
  deps: Pick<RegistryFactsDeps, 'runner' | 'probePort' | 'fetch'>,
  ask: { askRegistryApi: boolean },
): Promise<PortFacts> {
  const probe = deps.probePort ?? canBind;
  if (await probe(options.bindAddress, options.port)) return { free: true };
  const holder = await findPortHolder(deps.runner, options.port);
  if (!ask.askRegistryApi) return { free: false, holder };
  return { free: false, holder, servesRegistry: await answersAsRegistry(registryHost(options), deps) };
}

export async function inspectContainer(runner: CommandRunner, name: string): Promise<ContainerFacts> {
  const spec = { command: 'docker', args: ['container', 'inspect', name], timeoutMs: DOCKER_TIMEOUT_MS };
  const result = await runner.run(spec);
  if (result.exitCode !== 0) {
    // Docker says "No such container", podman's Docker API "no such container": both mean absent.
    if (/no such (container|object)/i.test(`${result.stderr}\n${result.stdout}`)) return { exists: false };
    throw new QedError(
      'DOCKER_UNAVAILABLE',
      `could not ask Docker about container ${name}: ${describeCommand(spec)} failed`,
      {
        hint: 'Check that Docker is running (`docker info`), then try again.',
        data: { output: tailLines(result.stderr || result.stdout, 10) },
      },
    );
  }
  return parseInspect(result.stdout, name);
}

interface InspectDocument {
  Id?: string;
  Config?: { Image?: string };
  State?: { Running?: boolean; Status?: string };
  HostConfig?: { PortBindings?: Record<string, Array<{ HostPort?: string }> | null> };
  NetworkSettings?: { Ports?: Record<string, Array<{ HostPort?: string }> | null> };
}

export function parseInspect(stdout: string, name: string): ContainerFacts {
  let doc: InspectDocument | undefined;
  try {
    doc = (JSON.parse(stdout) as InspectDocument[])[0];
  } catch (cause) {
    throw new QedError('DOCKER_UNEXPECTED_OUTPUT', `docker container inspect ${name} did not print JSON`, {
      cause,
    });
  }
  if (!doc?.Id)
    throw new QedError('DOCKER_UNEXPECTED_OUTPUT', `docker container inspect ${name} printed no container`);
  const key = `${REGISTRY_CONTAINER_PORT}/tcp`;
  // A running container reports its live ports; a stopped one only its configured bindings.
  const bindings = doc.NetworkSettings?.Ports?.[key] ?? doc.HostConfig?.PortBindings?.[key] ?? [];
  const hostPort = bindings.map((b) => Number(b.HostPort)).find((p) => Number.isInteger(p) && p > 0) ?? null;
  return {
    exists: true,
    id: doc.Id,
    image: doc.Config?.Image ?? '',
    running: doc.State?.Running === true,
    status: doc.State?.Status ?? 'unknown',
    hostPort,
  };
}

/**
 * Binding is the question that matters (will `docker run -p` succeed?), and it
 * needs no tool: lsof only names the holder, and may be missing or see nothing of
 * another user's processes.
 */
export function canBind(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

