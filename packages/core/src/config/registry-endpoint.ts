import { QedError } from '../errors/qed-error.js';

/** Where this machine pushes to the local registry: `registry.host` in qed.config.yaml. */
export interface RegistryEndpoint {
  /** A name or an address; an IPv6 address without its brackets. */
  host: string;
  port: number;
}

/** The config key every message about the endpoint names. */
export const REGISTRY_HOST_KEY = 'registry.host';
/** The guide's port, and so the one default of the registry's port. */
export const DEFAULT_REGISTRY_PORT = 5000;
/**
 * The default of registry.host. 127.0.0.1 rather than `localhost`, which can
 * resolve to ::1 while the container only listens on IPv4; Docker trusts it over HTTP.
 */
export const DEFAULT_REGISTRY_HOST = `127.0.0.1:${DEFAULT_REGISTRY_PORT}`;

/** HOST:PORT or [IPv6]:PORT, as the config schema's pattern for registry.host. */
export const REGISTRY_HOST_PATTERN = '^(?:\\[([0-9a-fA-F:]+)\\]|([A-Za-z0-9.-]+)):([0-9]{1,5})$';
const ENDPOINT = new RegExp(REGISTRY_HOST_PATTERN);

/** registry.host read as HOST:PORT; null when it is not one (no port, a port out of range). */
export function readRegistryEndpoint(value: string): RegistryEndpoint | null {
  const match = ENDPOINT.exec(value.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

/**
 * registry.host read as HOST:PORT, or CONFIG_INVALID naming the key and the file
 * (`file`: the config file read; qed.config.yaml when none is known).
 */
export function parseRegistryEndpoint(value: string, file?: string | null): RegistryEndpoint {
  const endpoint = readRegistryEndpoint(value);
  if (endpoint) return endpoint;
  throw new QedError('CONFIG_INVALID', `${REGISTRY_HOST_KEY} ${JSON.stringify(value)} in ${file ?? 'qed.config.yaml'} is not HOST:PORT`, {
    hint: `Write it as HOST:PORT with a port from 1 to 65535, e.g. ${DEFAULT_REGISTRY_HOST} (an IPv6 address in brackets: [::1]:${DEFAULT_REGISTRY_PORT}).`,
    data: { key: REGISTRY_HOST_KEY, value, ...(file ? { file } : {}) },
  });
}

/** HOST:PORT again, an IPv6 address in brackets. */
export function formatRegistryEndpoint(endpoint: RegistryEndpoint): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/**
 * A ref as the cluster's nodes pull it. Refs name the registry as this machine
 * pushes to it (registry.host, e.g. 127.0.0.1:PORT); inside a VM or a node
 * container 127.0.0.1 is the node itself, which reaches the registry at
 * `nodeHost` (host.minikube.internal:PORT). Refs into the local registry move
 * there; any other ref is left as it is.
 */
export function refAsNodePulls(ref: string, registryHost: string, nodeHost: string): string {
  return ref.startsWith(`${registryHost}/`) ? `${nodeHost}/${ref.slice(registryHost.length + 1)}` : ref;
}
