import { compareVersions, MINIMUM_MINIKUBE_VERSION, parseVersion, QedError, versionConstant } from '@qed/core';

const MINIMUM = versionConstant(MINIMUM_MINIKUBE_VERSION);

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

/** Throws unless the installed minikube can run the QED cluster. */
export function requireUsableMinikube(version: string | null): string {
  if (version === null) {
    throw new QedError('MINIKUBE_MISSING', 'minikube is not installed or not on PATH', {
      hint: `Install minikube >= ${MINIMUM_MINIKUBE_VERSION}: https://minikube.sigs.k8s.io/docs/start/ (winget install Kubernetes.minikube, brew install minikube), then run \`qed-bootstrap doctor\`.`,
    });
  }
  const parsed = parseVersion(version);
  if (!parsed) {
    throw new QedError('MINIKUBE_MISSING', `cannot read minikube's version from "${version}"`, {
      hint: 'Run `minikube version` to check the installation; reinstall minikube if it does not answer.',
    });
  }
  const bad = KNOWN_BAD_MINIKUBE_RELEASES.find((r) => compareVersions(versionConstant(r.version), parsed) === 0);
  if (bad) {
    throw new QedError('MINIKUBE_KNOWN_BAD', `minikube ${version} is refused: ${bad.reason} (${bad.issue})`, {
      hint: `Install another minikube release (>= ${MINIMUM_MINIKUBE_VERSION}): https://github.com/kubernetes/minikube/releases`,
      data: { version, issue: bad.issue },
    });
  }
  if (compareVersions(parsed, MINIMUM) < 0) {
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
