import path from 'node:path';
import { isTruthyEnv, ProcessRunner } from '@qed/core';
import type { TestProject } from 'vitest/node';
import {
  acquireLaneLease,
  type MinikubeLaneConnection,
  minikubeLaneLayout,
  minikubeLaneUnavailableReason,
  readLaneState,
  takeLaneTurn,
} from './minikube-lane/minikube-lane.js';
import { TESTENV_ROOT } from './versions.js';

export type ProvidedMinikubeLane = { available: true; connection: MinikubeLaneConnection } | { available: false; reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    minikubeLane: ProvidedMinikubeLane;
  }
}

/**
 * Global setup of the minikube suites (*.minikube.test.ts): a lease on the real
 * minikube lane (brought up when needed), and the lane to themselves for the whole
 * run: one none-driver cluster per machine, and some suites delete and recreate it,
 * so the suites of different packages take turns (a lock held until teardown).
 * Under CI=true a lane that cannot start fails the run; elsewhere the suites are
 * skipped and say why.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const ci = isTruthyEnv(process.env.CI);
  const layout = minikubeLaneLayout(path.resolve(TESTENV_ROOT, '..', '..'));
  const runner = new ProcessRunner();
  const progress = (message: string) => process.stderr.write(`[testenv minikube] ${message}\n`);
  try {
    const reason = await existingLaneOrReason(layout);
    if (reason) throw new Error(reason);
    const turn = await takeLaneTurn(layout);
    const lease = await acquireLaneLease({ layout, runner, progress }).catch(async (error: unknown) => {
      await turn.release();
      throw error;
    });
    project.provide('minikubeLane', { available: true, connection: lease.connection });
    return async () => {
      try {
        await lease.release();
      } finally {
        await turn.release();
      }
    };
  } catch (error) {
    if (ci) throw error;
    project.provide('minikubeLane', { available: false, reason: (error as Error).message });
    return undefined;
  }
}

/** A lane already up (started by `testenv with --minikube` or a user) is used as it is; otherwise the machine must be able to host one. */
async function existingLaneOrReason(layout: ReturnType<typeof minikubeLaneLayout>): Promise<string | null> {
  if (await readLaneState(layout)) return null;
  return minikubeLaneUnavailableReason();
}
