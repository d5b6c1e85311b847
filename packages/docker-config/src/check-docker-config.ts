import { DEFAULT_REGISTRY_PORT } from '@qed/core';
import type { DockerConfigFacts } from './docker-config-facts.js';
import { type DockerConfigJson, parseDockerConfig } from './parse-docker-config.js';

/** One setting that gets in the way of pushing to the local plain-HTTP registry. */
export type DockerConfigFinding =
  | { kind: 'creds-store'; key: 'credsStore'; helper: string; why: string }
  | { kind: 'cred-helper'; key: string; host: string; helper: string; why: string };

export interface DockerConfigReport {
  path: string;
  exists: boolean;
  findings: DockerConfigFinding[];
}

/** The names the local registry is pushed to by, for the hosts the cred helpers are keyed by. */
export function localRegistryHosts(port = DEFAULT_REGISTRY_PORT): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function findProblems(
  config: DockerConfigJson,
  registryHosts: readonly string[],
): DockerConfigFinding[] {
  const findings: DockerConfigFinding[] = [];
  const store = config.credsStore;
  if (typeof store === 'string' && store !== '') {
    findings.push({
      kind: 'creds-store',
      key: 'credsStore',
      helper: store,
      why:
        `"credsStore": "${store}" sends every registry's credentials through docker-credential-${store}, ` +
        `including the local registry's, which needs none; when that helper is missing or the keychain refuses ` +
        `(the macOS keychain errors), pushes to the local registry fail with "error getting credentials".`,
    });
  }
  const helpers = config.credHelpers;
  if (helpers && typeof helpers === 'object' && !Array.isArray(helpers)) {
    for (const [host, helper] of Object.entries(helpers)) {
      if (!registryHosts.includes(host) || typeof helper !== 'string' || helper === '') continue;
      findings.push({
        kind: 'cred-helper',
        key: `credHelpers.${host}`,
        host,
        helper,
        why: `"credHelpers" sends ${host}'s credentials through docker-credential-${helper}; the local registry needs none, and a failing helper breaks pushes to it.`,
      });
    }
  }
  return findings;
}

/** `docker-config check`: what is in the way, and why. Throws DOCKER_CONFIG_MALFORMED for broken JSON. */
export function checkDockerConfig(
  facts: DockerConfigFacts,
  options: { registryHosts?: readonly string[] } = {},
): DockerConfigReport {
  if (!facts.exists) return { path: facts.path, exists: false, findings: [] };
  const config = parseDockerConfig(facts.text, facts.path);
  return {
    path: facts.path,
    exists: true,
    findings: findProblems(config, options.registryHosts ?? localRegistryHosts()),
  };
}

/** Lines for the terminal; they carry key names and helper names only, never credentials. */
export function formatDockerConfigReport(report: DockerConfigReport): string[] {
  if (!report.exists) return [`${report.path} does not exist: nothing to fix.`];
  if (report.findings.length === 0)
    return [`${report.path}: nothing in the way of pushing to the local registry.`];
  return [
    `${report.path}:`,
    ...report.findings.map((f) => `  ${f.key} = ${f.helper}: ${f.why}`),
    'Run `qed-bootstrap docker-config fix` to remove them (a backup is kept; `revert` restores it).',
  ];
}
