import type { CommandRunner, OperatingSystem, PlatformFacts, QedConfig } from '@qed/core';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable, for --json and scripts: 'docker', 'kubectl', 'registry-port', … */
  id: string;
  title: string;
  status: CheckStatus;
  /** The version found, without a leading "v". */
  version: string | null;
  /** What qed-bootstrap needs, in words a user can compare with `version` or `detail`. */
  required: string | null;
  /** One line: what was found. */
  detail: string;
  /** For anything not ok: the fix, phrased for the user's OS. */
  hint: string | null;
  /** What the check found that a later step decides by; absent when it found nothing such. */
  facts?: CheckFacts;
}

/**
 * Findings a check hands on as data, not words: the cluster backend reads them
 * (the Hyper-V switches are what minikube's driver choice checks a wanted switch against).
 */
export interface CheckFacts {
  /** The Hyper-V virtual switches, by name, when the hyperv check listed them. */
  hypervSwitches?: readonly string[];
}

/**
 * Everything a check may touch. The world enters only through here, so a check is
 * tested with a fake runner and fake probes, and the CLI wires the real ones once.
 */
export interface CheckContext {
  runner: CommandRunner;
  platform: PlatformFacts;
  config: QedConfig;
  /** The user's environment (DOCKER_HOST, KUBECONFIG, …); checks never read process.env. */
  env: Readonly<Record<string, string | undefined>>;
  probePort(host: string, port: number): Promise<'free' | 'in-use' | 'no-permission'>;
  pathExists(path: string): Promise<boolean>;
  /** Whether this user may open the path for reading and writing (a device such as /dev/kvm). */
  canReadWrite(path: string): Promise<boolean>;
  /** null when the file cannot be read. */
  readTextFile(path: string): Promise<string | null>;
}

export interface EnvironmentCheck {
  id: string;
  title: string;
  /** The OSes the check means something on; absent: every OS. The doctor runs a check only there. */
  platforms?: readonly OperatingSystem[];
  run(ctx: CheckContext): Promise<CheckResult>;
}

export interface DoctorReport {
  /** false when any check failed: something would block the bootstrap. */
  ok: boolean;
  checks: CheckResult[];
}
