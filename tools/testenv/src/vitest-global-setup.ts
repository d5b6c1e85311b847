import path from 'node:path';
import { isTruthyEnv, ProcessRunner } from '@qed/core';
import type { TestProject } from 'vitest/node';
import { testenvLayout } from './layout.js';
import { acquireLease, testenvUnavailableReason, type TestenvConnection } from './testenv.js';
import { TESTENV_ROOT } from './versions.js';
import { findYaml11Reader, type ProvidedYaml11Reader } from './yaml11-reader.js';

export type ProvidedTestenv = { available: true; connection: TestenvConnection } | { available: false; reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    testenv: ProvidedTestenv;
    /** yaml11-read, built with the environment's binaries (scripts/build-binaries.sh). */
    yaml11Reader: ProvidedYaml11Reader;
  }
}

/**
 * Global setup of every integration suite: takes a lease on the test environment
 * (starting it when it is not up) and gives its connection to the tests. On a
 * machine that cannot host it the suites are skipped with the reason in their
 * names, except under CI=true, where a missing prerequisite fails the run.
 * It also says where yaml11-read is, once the environment's binaries are built.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const ci = isTruthyEnv(process.env.CI);
  const unavailable = testenvUnavailableReason();
  if (unavailable) {
    if (ci) throw new Error(`CI=true and ${unavailable}: integration tests cannot run`);
    project.provide('testenv', { available: false, reason: unavailable });
    project.provide('yaml11Reader', { available: false, reason: unavailable });
    return undefined;
  }
  const layout = testenvLayout(path.resolve(TESTENV_ROOT, '..', '..'));
  const provideReader = () => project.provide('yaml11Reader', findYaml11Reader(layout.binDir));
  const runner = new ProcessRunner();
  const progress = (message: string) => process.stderr.write(`[testenv] ${message}\n`);
  try {
    const lease = await acquireLease({ layout, runner, progress });
    project.provide('testenv', { available: true, connection: lease.connection });
    provideReader();
    return () => lease.release();
  } catch (error) {
    const reason = (error as Error).message;
    if (ci) throw error;
    project.provide('testenv', { available: false, reason });
    provideReader();
    return undefined;
  }
}
