import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

// Tests import sibling packages from source: the "@qed/source" export condition
// points at src/*.ts, so no package has to be built before another's tests run.
const sourceConditions = ['@qed/source', 'node', 'import', 'default'];

/** Unit tests: pure code and the fake runner; no real components. */
export function unitProject(): ViteUserConfig {
  return {
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@qed/source'] } },
    test: {
      // Named in every package, so `vitest run --project unit` (the cached `test-unit` target) works everywhere.
      name: 'unit',
      include: ['src/**/*.test.ts'],
      exclude: ['src/**/*.integration.test.ts'],
      environment: 'node',
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
      globalSetup: [globalSetup],
      // A cold machine builds the control plane first (minutes); later runs take seconds.
      hookTimeout: 45 * 60_000,
      testTimeout: 180_000,
      // Suites share one cluster; files run one at a time so they do not race for it.
      fileParallelism: false,
    },
  };
}

/** Both layers, for packages that have integration tests. */
export function unitAndIntegrationProjects(): ViteUserConfig {
  const unit = unitProject();
  return {
    test: {
      projects: [
        unit,
        integrationProject(),
      ],
    },
  };
}
