import { QedError } from '@qed/core';

/** The pipeline's steps, in the order they run. The ids are stable: state file, --from/--to, JSON events and Nx targets use them. */
export const STEP_IDS = ['doctor', 'cluster', 'registry', 'docker-config', 'images', 'manifests', 'apply', 'wait', 'summary'] as const;
export type StepId = (typeof STEP_IDS)[number];

export function isStepId(value: string): value is StepId {
  return (STEP_IDS as readonly string[]).includes(value);
}

/** Checks a --from / --to value, naming the flag and the steps there are. */
export function parseStepId(value: string, flag: string): StepId {
  if (isStepId(value)) return value;
  throw new QedError('USAGE', `${flag} ${JSON.stringify(value)} is not a step of the bootstrap`, {
    hint: `Use one of: ${STEP_IDS.join(', ')}.`,
  });
}

export function stepIndex(id: StepId): number {
  return STEP_IDS.indexOf(id);
}
