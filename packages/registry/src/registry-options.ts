import { DEFAULT_REGISTRY_PORT, QedError } from '@qed/core';

/** What the user asks for: `registry up|status|down [--port P] [--name NAME]`. */
export interface RegistryOptions {
  /** The container's name. Default `registry`, the guide's. */
  name: string;
  /** The host port the registry is published on. Default 5000, the guide's. */
  port: number;
  /**
   * The host address the port is bound to. 127.0.0.1 rather than `localhost`,
   * which can resolve to ::1 while the container only listens on IPv4, and rather
   * than 0.0.0.0, which would offer an unauthenticated registry to the network.
   */
  bindAddress: string;
  /** The image. Default `registry:2`, the guide's. */
  image: string;
}

export const DEFAULT_REGISTRY_NAME = 'registry';
export const DEFAULT_REGISTRY_IMAGE = 'registry:2';
export const DEFAULT_BIND_ADDRESS = '127.0.0.1';
/** The port the registry listens on inside its container. */
export const REGISTRY_CONTAINER_PORT = 5000;

/** Fills in the guide's defaults and rejects values docker would refuse later, less clearly. */
export function resolveRegistryOptions(input: Partial<RegistryOptions> = {}): RegistryOptions {
  const options: RegistryOptions = {
    name: input.name ?? DEFAULT_REGISTRY_NAME,
    port: input.port ?? DEFAULT_REGISTRY_PORT,
    bindAddress: input.bindAddress ?? DEFAULT_BIND_ADDRESS,
    image: input.image ?? DEFAULT_REGISTRY_IMAGE,
  };
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new QedError(
      'REGISTRY_BAD_OPTION',
      `--port must be a TCP port (1-65535), got ${String(input.port)}`,
      {
        hint: 'Pass a port such as --port 5001.',
      },
    );
  }
  // Docker's own rule for container names; checked here so the error names the flag.
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(options.name)) {
    throw new QedError(
      'REGISTRY_BAD_OPTION',
      `--name ${JSON.stringify(options.name)} is not a valid container name`,
      {
        hint: 'Use letters, digits, "_", "." and "-", starting with a letter or digit.',
      },
    );
  }
  return options;
}

/** The named volume that keeps pushed images across `down` and `up`. */
export function registryVolumeName(name: string): string {
  return `${name}-data`;
}

/** host:port as pushed to from this machine, e.g. 127.0.0.1:5000. */
export function registryHost(options: Pick<RegistryOptions, 'bindAddress' | 'port'>): string {
  const address = options.bindAddress === '0.0.0.0' ? '127.0.0.1' : options.bindAddress;
  return `${address}:${options.port}`;
}
