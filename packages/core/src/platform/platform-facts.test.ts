import { describe, expect, it } from 'vitest';
import { detectPlatform, formatBytes, type PlatformSource } from './platform-facts.js';

function source(overrides: Partial<PlatformSource>): PlatformSource {
  return {
    platform: () => 'linux',
    arch: () => 'x64',
    cpuCount: () => 8,
    totalMemoryBytes: () => 16 * 1024 ** 3,
    homeDir: () => '/home/dev',
    kernelRelease: () => '6.1.0-18-amd64',
    readProcVersion: async () => 'Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)',
    freeBytesAt: async () => 100 * 1024 ** 3,
    ...overrides,
  };
}

describe('detectPlatform', () => {
  it.each([
    ['darwin', null, 'macos'],
    ['win32', null, 'windows'],
    ['linux', 'Linux version 6.1.0-18-amd64 (gcc 12)', 'linux'],
    ['linux', 'Linux version 5.15.153.1-microsoft-standard-WSL2 (root@1c602f52c2e4)', 'wsl'],
  ] as const)('%s with /proc/version %s is %s', async (platform, procVersion, expected) => {
    const facts = await detectPlatform(source({ platform: () => platform, readProcVersion: async () => procVersion }));
    expect(facts.os).toBe(expected);
  });

  it('falls back to the kernel release when /proc/version is unreadable', async () => {
    const facts = await detectPlatform(
      source({ readProcVersion: async () => null, kernelRelease: () => '4.4.0-19041-Microsoft' }),
    );
    expect(facts.os).toBe('wsl');
  });

  it('reports resources and the disk path measured', async () => {
    const facts = await detectPlatform(source({}), '/data');
    expect(facts).toMatchObject({ arch: 'x64', cpuCount: 8, totalMemoryBytes: 16 * 1024 ** 3, freeDiskBytes: 100 * 1024 ** 3, diskPath: '/data' });
  });

  it('reads this machine for real', async () => {
    const facts = await detectPlatform();
    expect(facts.cpuCount).toBeGreaterThan(0);
    expect(facts.totalMemoryBytes).toBeGreaterThan(0);
    expect(facts.freeDiskBytes).toBeGreaterThan(0);
  });

  it('formats sizes', () => {
    expect(formatBytes(8 * 1024 ** 3)).toBe('8.0 GiB');
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MiB');
  });
});
