import { QedError } from '@qed/core';

/** The oldest minikube supported; the same minimum the doctor checks (env-check). */
export const MINIMUM_MINIKUBE_VERSION = '1.33.0';

export interface KnownBadRelease {
  version: string;
  /** The issue that reports the break, for the user to read. */
  issue: string;
  reason: string;
}

/**
 * Releases refused because they break a cluster that pulls from a plain-HTTP
 * registry on the host. Kept as data: add a row when a regression is confirmed
 * upstream. 1.26.0 is also below the minimum; it stays listed so the reason is
 * kept if the minimum is ever lowered.
 */
export const KNOWN_BAD_MINIKUBE_RELEASES: readonly KnownBadRelease[] = [
  {
    version: '1.26.0',
    issue: 'https://github.com/kubernetes/minikube/issues/14480',
    reason:
      'its containerd update no longer read the old insecure-registry configuration: with --insecure-registry new pods stay in ContainerCreating',
  },
];

/** "v1.33.1" from `minikube version -o json` ({"commit","minikubeVersion"}), or older text output. */
export function parseMinikubeVersion(stdout: string): string | null {
  const text = stdout.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'minikubeVersion' in parsed) {
      const value = (parsed as { minikubeVersion: unknown }).minikubeVersion;
      if (typeof value === 'string') return value.replace(/^v/, '');
    }
  } catch {
    // Not JSON: fall through to the text form.
  }
  const match = /minikube version: v?(\d+\.\d+\.\d+\S*)/.exec(text);
  return match?.[1] ?? null;
}

/** Compares x.y.z[-pre] versions; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split('-', 2);
    const nums = core.split('.').map((n) => Number.parseInt(n, 10) || 0);
    return { nums: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** Throws unless the installed minikube can run the QED cluster. */
export function requireUsableMinikube(version: string | null): string {
  if (version === null) {
    throw new QedError('MINIKUBE_MISSING', 'minikube is not installed or not on PATH', {
      hint: 'Install minikube >= 1.33.0: https://minikube.sigs.k8s.io/docs/start/ (winget install Kubernetes.minikube, brew install minikube), then run `qed-bootstrap doctor`.',
    });
  }
  const bad = KNOWN_BAD_MINIKUBE_RELEASES.find((r) => compareVersions(r.version, version) === 0);
  if (bad) {
    throw new QedError('MINIKUBE_KNOWN_BAD', `minikube ${version} is refused: ${bad.reason} (${bad.issue})`, {
      hint: `Install another minikube release (>= ${MINIMUM_MINIKUBE_VERSION}): https://github.com/kubernetes/minikube/releases`,
      data: { version, issue: bad.issue },
    });
  }
  if (compareVersions(version, MINIMUM_MINIKUBE_VERSION) < 0) {
    throw new QedError(
      'MINIKUBE_TOO_OLD',
      `minikube ${version} is older than ${MINIMUM_MINIKUBE_VERSION}, the oldest qed-bootstrap supports`,
      {
        hint: 'Upgrade minikube: https://minikube.sigs.k8s.io/docs/start/ (or `minikube update-check` to see the latest).',
        data: { version, minimum: MINIMUM_MINIKUBE_VERSION },
      },
    );
  }
  return version;
}
