import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';

export type OperatingSystem = 'macos' | 'windows' | 'linux' | 'wsl';

/** What qed-bootstrap needs to know about the machine it runs on. */
export interface PlatformFacts {
  os: OperatingSystem;
  /** Node's name for the CPU architecture: x64, arm64, … */
  arch: string;
  cpuCount: number;
  totalMemoryBytes: number;
  /** Free space on the filesystem holding `diskPath`; null when it cannot be read. */
  freeDiskBytes: number | null;
  diskPath: string;
  homeDir: string;
}

/** The parts of Node's os/fs the detection reads, injectable for tests. */
export interface PlatformSource {
  platform(): NodeJS.Platform;
  arch(): string;
  cpuCount(): number;
  totalMemoryBytes(): number;
  homeDir(): string;
  kernelRelease(): string;
  readProcVersion(): Promise<string | null>;
  freeBytesAt(path: string): Promise<number | null>;
}

export const nodePlatformSource: PlatformSource = {
  platform: () => process.platform,
  arch: () => process.arch,
  cpuCount: () => os.availableParallelism(),
  totalMemoryBytes: () => os.totalmem(),
  homeDir: () => os.homedir(),
  kernelRelease: () => os.release(),
  readProcVersion: () => readFile('/proc/version', 'utf8').catch(() => null),
  freeBytesAt: async (path) => {
    try {
      const stats = await statfs(path);
      return stats.bavail * stats.bsize;
    } catch {
      return null;
    }
  },
};

/**
 * WSL reports itself as Linux; it is told apart by the kernel's name, because
 * hostPath mounts, drivers and install hints differ from a plain Linux machine.
 */
export async function detectPlatform(
  source: PlatformSource = nodePlatformSource,
  diskPath?: string,
): Promise<PlatformFacts> {
  const platform = source.platform();
  let kind: OperatingSystem;
  if (platform === 'darwin') kind = 'macos';
  else if (platform === 'win32') kind = 'windows';
  else if (platform === 'linux') {
    const version = (await source.readProcVersion()) ?? source.kernelRelease();
    kind = /microsoft|wsl/i.test(version) ? 'wsl' : 'linux';
  } else kind = 'linux';
  const path = diskPath ?? source.homeDir();
  return {
    os: kind,
    arch: source.arch(),
    cpuCount: source.cpuCount(),
    totalMemoryBytes: source.totalMemoryBytes(),
    freeDiskBytes: await source.freeBytesAt(path),
    diskPath: path,
    homeDir: source.homeDir(),
  };
}

export function formatBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}
