import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

// Tests import sibling packages from source: the "@qed/source" export condition
// points at src/*.ts, so no package has to be built before another's tests run.
const sourceConditions = ['@qed/source', 'node', 'import', 'default'];
const repoRoot = path.dirname(fileURLToPath(import.meta.url));
// First in every project's setups, so its teardown (removing the run's temporary folder) runs last.
const tmpdirSetup = fileURLToPath(new URL('./vitest.tmpdir-setup.ts', import.meta.url));

/** Unit tests: pure code and the fake runner; no real components. */
export function unitProject(): ViteUserConfig {
  return {
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@qed/source'] } },
    test: {
      // Named in every package, so `vitest run --project unit` (the cached `test-unit` target) works everywhere.
      name: 'unit',
      include: ['src/**/*.test.ts'],
      exclude: ['src/**/*.integration.test.ts', 'src/**/*.minikube.test.ts'],
      environment: 'node',
      globalSetup: [tmpdirSetup],
      // Generous: outcomes must not depend on how loaded the machine is (CI shares two cores with builds).
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
}

const globalSetup = fileURLToPath(new URL('./tools/testenv/src/vitest-global-setup.ts', import.meta.url));

/**
 * Integration tests: *.integration.test.ts, run against the real test environment
 * (control plane, podman's Docker API, registry) that the global setup provides.
 */
export function integrationProject(): ViteUserConfig {
  return {
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@qed/source'] } },
    test: {
      name: 'integration',
      include: ['src/**/*.integration.test.ts'],
      environment: 'node',
      globalSetup: [tmpdirSetup, globalSetup],
      // A cold machine builds the control plane first (minutes); later runs take seconds.
      hookTimeout: 45 * 60_000,
      testTimeout: 180_000,
      // Suites share one cluster; files run one at a time so they do not race for it.
      fileParallelism: false,
    },
  };
}

const minikubeGlobalSetup = fileURLToPath(new URL('./tools/testenv/src/minikube-global-setup.ts', import.meta.url));

/**
 * Minikube tests: *.minikube.test.ts, run against the real minikube lane (driver
 * none, real containers) and the kwok lane's engine. Slow by nature: a cluster
 * start or an image pull is tens of seconds on two cores.
 */
export function minikubeProject(): ViteUserConfig {
  const integration = integrationProject();
  return {
    ...integration,
    test: {
      ...integration.test,
      name: 'minikube',
      include: ['src/**/*.minikube.test.ts'],
      globalSetup: [tmpdirSetup, globalSetup, minikubeGlobalSetup],
      hookTimeout: 90 * 60_000,
      testTimeout: 15 * 60_000,
    },
  };
}

/**
 * Both layers, for packages that have integration tests; with `minikube`, the
 * minikube layer too (only where such suites exist: its global setup holds the lane
 * for the whole run).
 */
export function unitAndIntegrationProjects(options: { minikube?: boolean } = {}): ViteUserConfig {
  const unit = unitProject();
  return withFailureReport({
    test: {
      projects: [
        unit,
        integrationProject(),
        ...(options.minikube ? [minikubeProject()] : []),
      ],
    },
  });
}

/**
 * A package's root config, with a JSON report of its run beside the usual output when
 * QED_TEST_REPORT_DIR names a folder: `npm test` (tools/testenv/scripts/run-all-tests.mjs)
 * sets it, and repeats the failures at the very end of its output, where a CI log's
 * tail shows them; the failing task's own lines are otherwise far up the log.
 */
export function withFailureReport(config: ViteUserConfig): ViteUserConfig {
  const dir = process.env.QED_TEST_REPORT_DIR;
  if (!dir) return config;
  // One file per package: the folder's path from the repository root, e.g. packages-cli.json.
  const name = path.relative(repoRoot, process.cwd()).split(path.sep).join('-') || 'root';
  return { ...config, test: { ...config.test, reporters: ['default', ['json', { outputFile: path.join(dir, `${name}.json`) }]] } };
}
