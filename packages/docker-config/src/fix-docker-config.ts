import { QedError, requireConsent, writeFileAtomic, type WriteFs } from '@qed/core';
import { type DockerConfigFinding, findProblems, localRegistryHosts } from './check-docker-config.js';
import { type DockerConfigFacts, backupPathFor } from './docker-config-facts.js';
import { type DockerConfigFs, nodeDockerConfigFs } from './docker-config-fs.js';
import { parseDockerConfig, serializeDockerConfig } from './parse-docker-config.js';

/**
 * What `docker-config fix` would do. `original` and `content` hold credentials:
 * print the plan with describeDockerConfigFix, never as JSON.
 */
export type DockerConfigFixPlan =
  | { action: 'none'; path: string; reason: string }
  | {
      action: 'write';
      path: string;
      backupPath: string;
      mode: number;
      changes: DockerConfigFinding[];
      original: string;
      content: string;
    };

export type DockerConfigRevertPlan =
  | { action: 'none'; path: string; reason: string }
  | { action: 'restore'; path: string; backupPath: string };

export interface ApplyDeps {
  /** --yes or the user's answer. Without it nothing is written (QedError CONSENT_REQUIRED). */
  consent: boolean;
  fs?: DockerConfigFs;
}

export type ApplyOutcome =
  | { status: 'nothing-to-do' }
  | { status: 'written'; backupPath: string };

export function planDockerConfigFix(
  facts: DockerConfigFacts,
  options: { now: Date; registryHosts?: readonly string[] },
): DockerConfigFixPlan {
  if (!facts.exists)
    return { action: 'none', path: facts.path, reason: `${facts.path} does not exist: nothing to fix` };
  const config = parseDockerConfig(facts.text, facts.path);
  const changes = findProblems(config, options.registryHosts ?? localRegistryHosts());
  if (changes.length === 0)
    return { action: 'none', path: facts.path, reason: 'nothing in the way of the local registry' };
  // Deleting keys from the parsed object keeps every other key in its order.
  const fixed: Record<string, unknown> = { ...config };
  for (const change of changes) {
    if (change.kind === 'creds-store') delete fixed.credsStore;
    else {
      const helpers = { ...(fixed.credHelpers as Record<string, unknown>) };
      delete helpers[change.host];
      fixed.credHelpers = helpers;
    }
  }
  return {
    action: 'write',
    path: facts.path,
    backupPath: backupPathFor(facts.path, options.now),
    mode: facts.mode,
    changes,
    original: facts.text,
    content: serializeDockerConfig(fixed, facts.text),
  };
}

/** The plan for people: which keys go and where the backup goes. */
export function describeDockerConfigFix(plan: DockerConfigFixPlan): string[] {
  if (plan.action === 'none') return [plan.reason];
  return [
    `In ${plan.path}:`,
    ...plan.changes.map((c) => `  remove ${c.key} (${c.helper})`),
    `A copy is kept as ${plan.backupPath}.`,
  ];
}

/**
 * Writes with the exact mode: the mode given to writeFile is reduced by the
 * umask, and a 0600 file of credentials must not come back as 0644 (nor the
 * reverse surprise the user).
 */
function withExactMode(fs: DockerConfigFs): WriteFs {
  return {
    writeFile: async (file, data, options) => {
      await fs.writeFile(file, data, options);
      await fs.chmod(file, options.mode);
    },
    rename: (from, to) => fs.rename(from, to),
    rm: (file, options) => fs.rm(file, options),
  };
}

export async function applyDockerConfigFix(
  plan: DockerConfigFixPlan,
  deps: ApplyDeps,
): Promise<ApplyOutcome> {
  if (plan.action === 'none') return { status: 'nothing-to-do' };
  requireConsent(deps.consent, {
    action: `Removing ${plan.changes.map((c) => c.key).join(', ')} from ${plan.path} (a backup would be kept at ${plan.backupPath})`,
    data: { file: plan.path },
  });
  const fs = deps.fs ?? nodeDockerConfigFs;
  // Docker Desktop rewrites this file on its own (logins, settings): never clobber
  // a change made after the plan was read.
  if ((await fs.readFile(plan.path)) !== plan.original) {
    throw new QedError(
      'DOCKER_CONFIG_CHANGED',
      `${plan.path} changed since it was read; nothing was written`,
      {
        hint: 'Run the command again.',
        data: { file: plan.path },
      },
    );
  }
  const io = withExactMode(fs);
  // The backup holds the same credentials, so it gets the same mode.
  await writeFileAtomic(plan.backupPath, plan.original, plan.mode, io);
  await writeFileAtomic(plan.path, plan.content, plan.mode, io);
  return { status: 'written', backupPath: plan.backupPath };
}

export function planDockerConfigRevert(facts: DockerConfigFacts): DockerConfigRevertPlan {
  const newest = facts.backups[0];
  if (newest === undefined) {
    return { action: 'none', path: facts.path, reason: `no backup of ${facts.path} to restore` };
  }
  return { action: 'restore', path: facts.path, backupPath: newest };
}

/** Restores the newest backup over the config, atomically, with the backup's mode. The backup is kept. */
export async function applyDockerConfigRevert(
  plan: DockerConfigRevertPlan,
  deps: ApplyDeps,
): Promise<ApplyOutcome> {
  if (plan.action === 'none') return { status: 'nothing-to-do' };
  requireConsent(deps.consent, { action: `Restoring ${plan.path} from ${plan.backupPath}`, data: { file: plan.path } });
  const fs = deps.fs ?? nodeDockerConfigFs;
  const text = await fs.readFile(plan.backupPath);
  const mode = (await fs.stat(plan.backupPath)).mode & 0o7777;
  await writeFileAtomic(plan.path, text, mode, withExactMode(fs));
  return { status: 'written', backupPath: plan.backupPath };
}
