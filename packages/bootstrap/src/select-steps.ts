import { QedError } from '@qed/core';
import type { BootstrapState } from './bootstrap-state.js';
import { STEP_IDS, type StepId, stepIndex } from './step-ids.js';

/** What happens to each step in this run. */
export type StepDisposition = 'run' | 'done-in-previous-run' | 'not-selected';

export interface StepSelection {
  dispositions: Record<StepId, StepDisposition>;
  /** The first step that runs. */
  start: StepId;
  end: StepId;
  /** Set when an earlier run of the same inputs stopped and this one picks up. */
  resumedFrom: StepId | null;
  /** Why it starts where it does, for the user. */
  reason: string;
  /** The finished steps carried over from the previous run. */
  carriedOver: StepId[];
}

/**
 * Where a run starts. --from wins. Otherwise a previous run of the same inputs that
 * did not complete is resumed at its first unfinished step (the one that failed or
 * was interrupted); changed inputs, a completed run or no state start from the
 * beginning (every step is idempotent). --to ends the run early.
 */
export function selectSteps(previous: BootstrapState | null, inputsHash: string, range: { from?: StepId; to?: StepId } = {}): StepSelection {
  const end = range.to ?? 'summary';
  if (range.from && stepIndex(range.from) > stepIndex(end)) {
    throw new QedError('USAGE', `--from ${range.from} comes after --to ${end}`, { hint: `The steps run in this order: ${STEP_IDS.join(', ')}.` });
  }
  const same = previous !== null && previous.inputsHash === inputsHash;
  let start: StepId = 'doctor';
  let resumedFrom: StepId | null = null;
  let reason: string;
  if (range.from) {
    start = range.from;
    reason = `--from ${range.from}`;
  } else if (!previous) {
    reason = 'first run';
  } else if (!same) {
    reason = 'the inputs changed since the last run (config, target, namespace, services or profile): starting from the beginning';
  } else if (previous.completed) {
    reason = 'the last run completed: starting from the beginning (every step is idempotent)';
  } else {
    const unfinished = STEP_IDS.find((id) => stepIndex(id) <= stepIndex(end) && !previous.finished.includes(id));
    if (unfinished === undefined || unfinished === 'doctor') {
      reason = unfinished === undefined ? `every step up to ${end} finished in the last run: starting from the beginning` : 'first run';
    } else {
      start = unfinished;
      resumedFrom = unfinished;
      const why = previous.failed?.step === unfinished ? 'failed' : previous.interrupted === unfinished ? 'was interrupted' : 'did not run';
      reason = `resuming at ${unfinished}, which ${why} in the last run`;
    }
  }
  const carriedOver = same && previous ? previous.finished.filter((id) => stepIndex(id) < stepIndex(start)) : [];
  const dispositions = Object.fromEntries(
    STEP_IDS.map((id): [StepId, StepDisposition] => {
      if (stepIndex(id) >= stepIndex(start) && stepIndex(id) <= stepIndex(end)) return [id, 'run'];
      if (resumedFrom && carriedOver.includes(id)) return [id, 'done-in-previous-run'];
      return [id, 'not-selected'];
    }),
  ) as Record<StepId, StepDisposition>;
  return { dispositions, start, end, resumedFrom, reason, carriedOver };
}
