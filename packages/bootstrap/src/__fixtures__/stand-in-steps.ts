import type { AnyBootstrapStep } from '../pipeline-types.js';

/**
 * A step a test has nothing to do with (it needs a container engine or a registry
 * the test does not run), standing in as done: it plans nothing and runs nothing.
 */
export function standInDone(step: AnyBootstrapStep): AnyBootstrapStep {
  return {
    ...step,
    plan: async () => null,
    describe: () => ({ summary: 'not part of this test', lines: [] }),
    apply: async () => ({ detail: 'not part of this test', skipped: true }),
  };
}
