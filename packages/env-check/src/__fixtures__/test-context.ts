import { type ClusterConfig, type OperatingSystem, type PlatformFacts, defaultQedConfig } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import type { CheckContext } from '../check-types.js';

const GIB = 1024 ** 3;

export interface TestContextOptions {
  runner?: FakeCommandRunner;
  os?: OperatingSystem;
  platform?: Partial<PlatformFacts>;
  cluster?: Partial<ClusterConfig>;
  registryHost?: string;
  env?: Record<string, string | undefined>;
  probePort?: CheckContext['probePort'];
  /** Paths that exist, open to this user; every other path does not exist. */
  paths?: readonly string[];
  /** Paths that exist but that this user may not open for reading and writing. */
  lockedPaths?: readonly string[];
  /** Readable files and their text; every other file reads as null. */
  files?: Readonly<Record<string, string>>;
}

/** A context for unit tests: a roomy Linux machine, the default config, nothing on the ports. */
export function testContext(options: TestContextOptions = {}): CheckContext & { runner: FakeCommandRunner } {
  const config = defaultQedConfig('/home/dev');
  config.cluster = { ...config.cluster, ...options.cluster };
  if (options.registryHost) config.registry.host = options.registryHost;
  const paths = new Set(options.paths ?? []);
  const locked = new Set(options.lockedPaths ?? []);
  return {
    runner: options.runner ?? new FakeCommandRunner(),
    platform: {
      os: options.os ?? 'linux',
      arch: 'x64',
      cpuCount: 8,
      totalMemoryBytes: 32 * GIB,
      freeDiskBytes: 200 * GIB,
      diskPath: '/home/dev',
      homeDir: '/home/dev',
      ...options.platform,
    },
    config,
    env: options.env ?? {},
    probePort: options.probePort ?? (async () => 'free'),
    pathExists: async (path) => paths.has(path) || locked.has(path),
    canReadWrite: async (path) => paths.has(path) && !locked.has(path),
    readTextFile: async (path) => options.files?.[path] ?? null,
  };
}
