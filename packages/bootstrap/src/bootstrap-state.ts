import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@qed/core';
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

export const STATE_FILE = path.join('.qed', 'bootstrap-state.json');

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

/** The state, or null when there is none or it cannot be used (then the run starts from the beginning). */
export async function readBootstrapState(file: string): Promise<BootstrapState | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
  const state = parsed as Partial<BootstrapState>;
  if (state.version !== 1 || typeof state.inputsHash !== 'string' || !Array.isArray(state.finished)) return null;
  return {
    version: 1,
    inputsHash: state.inputsHash,
    finished: state.finished.filter((s): s is StepId => typeof s === 'string' && isStepId(s)),
    failed: state.failed && isStepId(state.failed.step) ? state.failed : null,
    interrupted: typeof state.interrupted === 'string' && isStepId(state.interrupted) ? state.interrupted : null,
    completed: state.completed === true,
    updatedAt: String(state.updatedAt ?? ''),
  };
}

export async function writeBootstrapState(file: string, state: BootstrapState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const ordered = { ...state, finished: STEP_IDS.filter((id) => state.finished.includes(id)) };
  await writeFileAtomic(file, `${JSON.stringify(ordered, null, 2)}\n`, 0o644);
}
