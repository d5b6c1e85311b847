import type { OperatingSystem } from '../platform/platform-facts.js';
import {
  CLUSTER_DRIVER_ALIASES,
  CLUSTER_DRIVERS,
  type ClusterDriver,
  RETIRED_CLUSTER_DRIVERS,
} from './qed-config.js';

/** A driver minikube can be asked for: not `auto`, not a retired one. */
export type MinikubeDriver = Exclude<ClusterDriver, 'auto' | (typeof RETIRED_CLUSTER_DRIVERS)[number]>;

/** minikube's own rating of a driver on a platform (its registry priorities Experimental and Deprecated). */
export type DriverStability = 'stable' | 'experimental' | 'deprecated';

export type DriverSupport =
  | { supported: true; stability: DriverStability }
  | { supported: false /** Why minikube has no such driver here, as a clause. */; reason: string };

type OsFamily = 'linux' | 'macos' | 'windows';

interface SupportRule {
  os: OsFamily;
  /** Node's CPU names (PlatformFacts.arch); absent: every CPU. */
  arch?: readonly string[];
  stability: DriverStability;
}

/**
 * Where minikube offers each driver, from its source as of v1.38.1
 * (pkg/minikube/driver/driver_{linux,darwin,windows}.go and each driver's
 * registration under pkg/minikube/registry/drvs): kvm2 refuses any CPU but amd64,
 * qemu2 knows only x86_64 and aarch64 (and on Windows only x86_64 firmware),
 * darwin/arm64 lists no virtualbox, hyperkit or vmware. WSL is Linux to minikube.
 */
const RULES: Readonly<Record<MinikubeDriver, readonly SupportRule[]>> = {
  docker: [
    { os: 'linux', stability: 'stable' },
    { os: 'macos', stability: 'stable' },
    { os: 'windows', stability: 'stable' },
  ],
  podman: [
    { os: 'linux', stability: 'stable' },
    { os: 'macos', stability: 'experimental' },
    { os: 'windows', stability: 'experimental' },
  ],
  kvm2: [{ os: 'linux', arch: ['x64'], stability: 'stable' }],
  qemu2: [
    { os: 'linux', arch: ['x64', 'arm64'], stability: 'stable' },
    { os: 'macos', arch: ['x64', 'arm64'], stability: 'stable' },
    { os: 'windows', arch: ['x64'], stability: 'experimental' },
  ],
  virtualbox: [
    { os: 'linux', stability: 'stable' },
    { os: 'macos', arch: ['x64'], stability: 'stable' },
    { os: 'windows', stability: 'stable' },
  ],
  vfkit: [{ os: 'macos', stability: 'stable' }],
  parallels: [{ os: 'macos', stability: 'deprecated' }],
  vmware: [
    { os: 'linux', stability: 'deprecated' },
    { os: 'macos', arch: ['x64'], stability: 'deprecated' },
    { os: 'windows', stability: 'deprecated' },
  ],
  hyperv: [{ os: 'windows', stability: 'stable' }],
  none: [{ os: 'linux', stability: 'stable' }],
};

/** The order drivers are listed in per OS: the setup guide's first, then the rest by how well they serve QED. */
const LISTING: Readonly<Record<OsFamily, readonly MinikubeDriver[]>> = {
  linux: ['docker', 'podman', 'kvm2', 'qemu2', 'virtualbox', 'none', 'vmware'],
  macos: ['docker', 'vfkit', 'qemu2', 'virtualbox', 'podman', 'parallels', 'vmware'],
  windows: ['hyperv', 'docker', 'virtualbox', 'qemu2', 'podman', 'vmware'],
};

const family = (os: OperatingSystem): OsFamily => (os === 'wsl' ? 'linux' : os);

/**
 * The driver's own name for a name the config or a flag gave: minikube's aliases
 * (qemu) become the driver they stand for; null for a name minikube does not know.
 */
export function normalizeClusterDriver(name: string): ClusterDriver | null {
  if ((CLUSTER_DRIVERS as readonly string[]).includes(name)) return name as ClusterDriver;
  if ((RETIRED_CLUSTER_DRIVERS as readonly string[]).includes(name)) return name as ClusterDriver;
  return CLUSTER_DRIVER_ALIASES[name] ?? null;
}

/**
 * Whether minikube offers `driver` on this OS and CPU (`arch` as Node names it;
 * absent when unknown, and then no per-CPU rule applies). Retired and unknown
 * names are never supported; the reason says why in a clause a message can use.
 */
export function driverSupport(driver: string, os: OperatingSystem, arch?: string): DriverSupport {
  const name = normalizeClusterDriver(driver);
  if (name === 'hyperkit') {
    return {
      supported: false,
      reason:
        'minikube has deprecated its hyperkit driver (v1.37.0 was the last release to build it, kubernetes/minikube#21940), and it ran only on Intel Macs',
    };
  }
  if (name === null || name === 'auto')
    return { supported: false, reason: `minikube has no driver named "${driver}"` };
  const rules = RULES[name].filter((rule) => rule.os === family(os));
  if (rules.length === 0) return { supported: false, reason: notOnThisOs(name, os) };
  const rule =
    arch === undefined ? rules[0] : rules.find((r) => r.arch === undefined || r.arch.includes(arch));
  if (!rule) return { supported: false, reason: notOnThisCpu(name, os, arch ?? '') };
  return { supported: true, stability: rule.stability };
}

/** The drivers minikube offers here, in the order they are worth trying. */
export function supportedDrivers(
  os: OperatingSystem,
  arch?: string,
): Array<{ driver: MinikubeDriver; stability: DriverStability }> {
  return LISTING[family(os)].flatMap((driver) => {
    const support = driverSupport(driver, os, arch);
    return support.supported ? [{ driver, stability: support.stability }] : [];
  });
}

/** "docker, vfkit, qemu2, podman (experimental), parallels (deprecated)". */
export function formatDriverList(
  drivers: ReadonlyArray<{ driver: string; stability: DriverStability }>,
): string {
  return drivers
    .map((d) => (d.stability === 'stable' ? d.driver : `${d.driver} (${d.stability})`))
    .join(', ');
}

/**
 * The drivers to suggest instead of one that cannot be used: the ones minikube
 * rates stable here, except `none` (it turns this machine into the node), as
 * "docker, vfkit or qemu2".
 */
export function suggestedDrivers(os: OperatingSystem, arch?: string, except: readonly string[] = []): string {
  const names = supportedDrivers(os, arch)
    .filter((d) => d.stability === 'stable' && d.driver !== 'none' && !except.includes(d.driver))
    .map((d) => d.driver);
  return names.length <= 1 ? (names[0] ?? 'docker') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** "macOS (Apple silicon, arm64)", "macOS (Intel, x64)", "Linux (x64)", "Windows". */
export function describePlatform(os: OperatingSystem, arch?: string): string {
  const name = { macos: 'macOS', linux: 'Linux', wsl: 'WSL', windows: 'Windows' }[os];
  if (arch === undefined) return name;
  if (os === 'macos' && arch === 'arm64') return 'macOS (Apple silicon, arm64)';
  if (os === 'macos' && arch === 'x64') return 'macOS (Intel, x64)';
  return `${name} (${arch})`;
}

function notOnThisOs(driver: MinikubeDriver, os: OperatingSystem): string {
  switch (driver) {
    case 'hyperv':
      return 'Hyper-V exists only on Windows';
    case 'vfkit':
      return "vfkit drives macOS's Virtualization framework, so minikube offers it only on macOS";
    case 'parallels':
      return 'minikube offers the parallels driver only on macOS, where Parallels Desktop runs';
    case 'kvm2':
      return 'kvm2 drives libvirt and Linux KVM, so minikube offers it only on Linux';
    case 'none':
      return 'the none driver runs Kubernetes on this machine itself, which must be Linux';
    default:
      return `minikube does not offer driver ${driver} on ${describePlatform(os)}`;
  }
}

function notOnThisCpu(driver: MinikubeDriver, os: OperatingSystem, arch: string): string {
  if (os === 'macos' && arch === 'arm64') {
    if (driver === 'virtualbox') {
      return 'VirtualBox does not run x86 VMs on Apple silicon, and released minikube (up to v1.38) has no VirtualBox support for Apple silicon';
    }
    if (driver === 'vmware') return "minikube's vmware driver runs only on Intel Macs";
  }
  if (driver === 'kvm2') {
    return `minikube's kvm2 driver runs only on x64 (amd64) machines, not on ${arch}${arch === 'arm64' ? ' (kubernetes/minikube#19959)' : ''}`;
  }
  if (driver === 'qemu2') {
    return os === 'windows'
      ? `on Windows minikube's qemu2 driver runs only on x64, not on ${arch}`
      : `minikube's qemu2 driver runs only on x64 and arm64, not on ${arch}`;
  }
  return `minikube does not offer driver ${driver} on ${describePlatform(os, arch)}`;
}
