import { createHash } from 'node:crypto';
import path from 'node:path';
import { describeJsonValue, ensureQedDir, fileAccessError, QedError, readJsonFile, shellQuote, writeFileAtomic } from '@qed/core';
import { isStepId, STEP_IDS, type StepId } from './step-ids.js';
import type { BootstrapInput } from './pipeline-types.js';
import { formatTarget } from './target.js';

/** .qed/bootstrap-state.json: how far the last run got, so the next one can resume. */
export interface BootstrapState {
  version: 1;
  /** hashInputs of the run that wrote it: other inputs mean a run from the start. */
  inputsHash: string;
  /** Steps that finished, in order. */
  finished: StepId[];
  failed: { step: StepId; code: string; message: string } | null;
  /** The step Ctrl-C stopped. */
  interrupted: StepId | null;
  /** Every step has finished: the next run starts from the beginning. */
  completed: boolean;
  updatedAt: string;
}

/**
 * A hash of what decides the outcome: the effective config, target, namespace,
 * services and profile. Keys are sorted first, so the same inputs in another key
 * order hash the same. Secret values are not part of the config, so none is hashed.
 */
export function hashInputs(input: Pick<BootstrapInput, 'config' | 'target' | 'namespace' | 'only' | 'profile'>): string {
  const material = {
    config: input.config,
    target: formatTarget(input.target),
    namespace: input.namespace,
    only: input.only ? [...input.only].sort() : null,
    profile: input.profile,
  };
  return `sha256:${createHash('sha256').update(stableStringify(material)).digest('hex')}`;
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The state, or null when there is none (a first run). A file that is there but is
 * not a state this version wrote stops the run with BOOTSTRAP_STATE_INVALID,
 * naming the file, what is wrong and how to reset it: silently starting over
 * would hide that something else writes there, and overwrite what it wrote.
 */
export async function readBootstrapState(file: string): Promise<BootstrapState | null> {
  const invalid = (problem: string) => stateInvalid(file, problem);
  const read = await readJsonFile(file, invalid);
  if (!read) return null;
  const state = read.value as Record<string, unknown>;
  const wrong = (problem: string) => invalid(`is not a bootstrap state: ${problem}`);
  if (state === null || typeof state !== 'object' || Array.isArray(state)) throw wrong(`${describeJsonValue(state)} where an object was expected`);
  if (state.version === undefined) throw wrong('version is missing');
  if (state.version !== 1) throw invalid(`has version ${JSON.stringify(state.version)}; this qed-bootstrap reads version 1`);
  if (typeof state.inputsHash !== 'string') throw wrong(`inputsHash is ${describeJsonValue(state.inputsHash)} (a string was expected)`);
  if (!Array.isArray(state.finished)) throw wrong(`finished is ${describeJsonValue(state.finished)} (a list of steps was expected)`);
  const finished = state.finished.map((step: unknown, i) => {
    if (typeof step === 'string' && isStepId(step)) return step;
    throw wrong(`finished[${i}] is ${JSON.stringify(step)}, not a step`);
  });
  const failed = (state.failed ?? null) as Record<string, unknown> | null;
  if (failed !== null) {
    if (typeof failed !== 'object' || Array.isArray(failed)) throw wrong(`failed is ${describeJsonValue(failed)} (an object or null was expected)`);
    if (typeof failed.step !== 'string' || !isStepId(failed.step)) throw wrong(`failed.step is ${describeJsonValue(failed.step)} (a step was expected)`);
  }
  const interrupted = state.interrupted ?? null;
  if (interrupted !== null && (typeof interrupted !== 'string' || !isStepId(interrupted))) {
    throw wrong(`interrupted is ${describeJsonValue(interrupted)} (a step or null was expected)`);
  }
  return {
    version: 1,
    inputsHash: state.inputsHash,
    finished,
    failed: failed ? { step: failed.step as StepId, code: String(failed.code ?? ''), message: String(failed.message ?? '') } : null,
    interrupted: interrupted as StepId | null,
    completed: state.completed === true,
    updatedAt: String(state.updatedAt ?? ''),
  };
}

function stateInvalid(file: string, problem: string): QedError {
  return new QedError('BOOTSTRAP_STATE_INVALID', `${file} ${problem}`, {
    hint:
      `It only records which steps finished. Delete it (\`rm ${shellQuote(file)}\`) and run again: the next run starts from the beginning, ` +
      'and every step already done checks, finds nothing to do and moves on (`--from STEP` starts at a later step instead).',
    data: { file },
  });
}

/** Written whole (writeFileAtomic); a disk that refuses it (full, read-only, not ours) is FILE_ACCESS_FAILED naming the file. */
export async function writeBootstrapState(file: string, state: BootstrapState): Promise<void> {
  await ensureQedDir(path.dirname(file)).catch((error: unknown) => {
    throw fileAccessError(error, path.dirname(file), 'create the folder');
  });
  const ordered = { ...state, finished: STEP_IDS.filter((id) => state.finished.includes(id)) };
  await writeFileAtomic(file, `${JSON.stringify(ordered, null, 2)}\n`, 0o644).catch((error: unknown) => {
    throw fileAccessError(error, file, 'write');
  });
}
