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
      include: ['src/**/*.test.ts'],
      exclude: ['src/**/*.integration.test.ts'],
      environment: 'node',
    },
  };
}
