/**
 * The oldest minikube qed-bootstrap supports, for the doctor and for `cluster up`
 * alike. v1.33.0 (2024-04) brought support for Kubernetes v1.30 and capped driver
 * status checks at 20 s (kubernetes/minikube#17553), so `minikube start` cannot
 * hang on a broken driver.
 */
export const MINIMUM_MINIKUBE_VERSION = '1.33.0';

/**
 * Just enough semver for tool versions: tools print "v1.37.0", "1.34.0",
 * "v1.38.0-beta.0", "v1.32.4-dispatcher" or "1.26" (Go's first releases of a line).
 */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly string[];
  /** As printed, less a leading "v" and any build metadata. */
  text: string;
}

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(text: string): Version | null {
  const match = VERSION.exec(text.trim());
  if (!match) return null;
  const [, major, minor, patch, prerelease] = match;
  const core = `${major}.${minor}${patch === undefined ? '' : `.${patch}`}`;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch ?? 0),
    prerelease: prerelease ? prerelease.split('.') : [],
    text: prerelease ? `${core}-${prerelease}` : core,
  };
}

/** For versions written in the code, where a typo must fail loudly at load time. */
export function versionConstant(text: string): Version {
  const version = parseVersion(text);
  if (!version) throw new Error(`not a version: ${text}`);
  return version;
}

/** Semver precedence: negative when a < b; a pre-release sorts before its release. */
export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const order = comparePrereleaseIdentifiers(a.prerelease[i] ?? '', b.prerelease[i] ?? '');
    if (order !== 0) return order;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

function comparePrereleaseIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How many minor versions apart two versions of one major line are; Infinity across majors. */
export function minorDistance(a: Version, b: Version): number {
  return a.major === b.major ? Math.abs(a.minor - b.minor) : Number.POSITIVE_INFINITY;
}
