import { isQedError, QedError, systemClock } from '@qed/core';
import { Listr, type ListrTask } from 'listr2';
import { type BootstrapState, hashInputs, readBootstrapState, writeBootstrapState } from './bootstrap-state.js';
import type { AnyBootstrapStep, BootstrapDeps, BootstrapInput, StepContext, StepPlanView } from './pipeline-types.js';
import { type StepSelection, selectSteps } from './select-steps.js';
import { acquireRunLock } from './run-lock.js';
import { bootstrapPaths, createStepContext } from './step-context.js';
import { STEP_IDS, type StepId } from './step-ids.js';
import { BOOTSTRAP_STEPS } from './steps/index.js';

/** listr2's renderer: default on a terminal, simple in CI or a pipe, verbose with --debug, silent with --json, test in tests. */
export type BootstrapRenderer = 'default' | 'simple' | 'verbose' | 'silent' | 'test';

export type StepEventStatus = 'started' | 'succeeded' | 'failed' | 'skipped';

/** --json prints each of these as one line. */
export type BootstrapEvent =
  | { type: 'step'; step: StepId; status: StepEventStatus; durationMs: number; detail: string; error?: Record<string, unknown> }
  | {
      type: 'pipeline';
      status: 'succeeded' | 'failed' | 'interrupted';
      durationMs: number;
      reason: string;
      stateFile: string;
      failedStep?: StepId;
      resume?: string;
    };

export interface RunBootstrapOptions {
  from?: StepId;
  to?: StepId;
  renderer?: BootstrapRenderer;
  /**
   * Ctrl-C: the running step is stopped, recorded as interrupted, exit code 130.
   * An abort reason naming another signal ('SIGTERM') is what the events say stopped it.
   */
  signal?: AbortSignal;
  onEvent?: (event: BootstrapEvent) => void;
  /** How to run this again, for the resume hint. Default `npx qed-bootstrap`. */
  command?: string;
  /** Tests replace the steps; the ids must be STEP_IDS. */
  steps?: readonly AnyBootstrapStep[];
  /** Things worth a line that are not a step's: a lock left by a run that died, taken over. */
  onNotice?: (message: string) => void;
}

export interface StepReport {
  id: StepId;
  status: 'succeeded' | 'failed' | 'skipped' | 'done-in-previous-run' | 'not-selected' | 'interrupted' | 'not-run';
  durationMs: number;
  detail: string;
}

export interface BootstrapResult {
  status: 'succeeded' | 'failed' | 'interrupted';
  exitCode: 0 | 1 | 130;
  selection: StepSelection;
  steps: StepReport[];
  failed?: { step: StepId; error: unknown };
  /** Printed after the run: the summary's table. */
  reports: string[];
  /** What to type to resume, after a failure or an interrupt. */
  resume?: string;
  stateFile: string;
}

export const EXIT_INTERRUPTED = 130;

/**
 * The guided bootstrap: the steps from where this run starts (selectSteps) to
 * --to, one listr2 task each, the state file written after every step. A failed
 * step stops the run and is recorded, so the same command resumes there. The
 * folder's lock (.qed/bootstrap.lock) is held from before the state is read until
 * the result is returned, whatever the outcome: a second run meanwhile stops with
 * BOOTSTRAP_LOCKED.
 */
export async function runBootstrap(input: BootstrapInput, deps: BootstrapDeps, options: RunBootstrapOptions = {}): Promise<BootstrapResult> {
  // One run per folder: two would write one state file (and apply, build, push) at once.
  const lock = await acquireRunLock(bootstrapPaths(deps).lockFile, {
    command: options.command ?? 'npx qed-bootstrap',
    onNotice: options.onNotice ?? (() => undefined),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  try {
    return await runLocked(input, deps, options);
  } finally {
    await lock.release();
  }
}

async function runLocked(input: BootstrapInput, deps: BootstrapDeps, options: RunBootstrapOptions): Promise<BootstrapResult> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const steps = options.steps ?? BOOTSTRAP_STEPS;
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), { once: true });
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  const ctx = createStepContext(input, deps, controller.signal);
  const inputsHash = hashInputs(input);
  const previous = await readBootstrapState(ctx.paths.stateFile);
  const selection = selectSteps(previous, inputsHash, { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) });
  const emit = options.onEvent ?? (() => undefined);
  const clock = deps.clock ?? systemClock;
  const state: BootstrapState = {
    version: 1,
    inputsHash,
    finished: [...selection.carriedOver],
    failed: null,
    interrupted: null,
    completed: false,
    updatedAt: clock.now().toISOString(),
  };
  const save = () => writeBootstrapState(ctx.paths.stateFile, { ...state, completed: STEP_IDS.every((id) => state.finished.includes(id)), updatedAt: clock.now().toISOString() });
  const reports = new Map<StepId, StepReport>(STEP_IDS.map((id) => [id, { id, status: 'not-run', durationMs: 0, detail: '' }]));
  const printed: string[] = [];
  let failure: { step: StepId; error: unknown } | undefined;

  const tasks: ListrTask[] = [];
  for (const step of steps) {
    const disposition = selection.dispositions[step.id];
    if (disposition === 'not-selected') {
      reports.set(step.id, { id: step.id, status: 'not-selected', durationMs: 0, detail: 'outside --from/--to' });
      continue;
    }
    if (disposition === 'done-in-previous-run') {
      const detail = 'done in a previous run';
      reports.set(step.id, { id: step.id, status: 'done-in-previous-run', durationMs: 0, detail });
      emit({ type: 'step', step: step.id, status: 'skipped', durationMs: 0, detail });
      tasks.push({ title: step.title, skip: () => `${step.title}: ${detail}`, task: () => undefined });
      continue;
    }
    tasks.push({
      title: step.title,
      task: async (_ctx, task) => {
        const stepStarted = now();
        const elapsed = () => Math.round(now() - stepStarted);
        emit({ type: 'step', step: step.id, status: 'started', durationMs: 0, detail: step.title });
        const stepCtx: StepContext = { ...ctx, progress: (message) => (task.output = message) };
        try {
          // Planned now, when the steps before it have run: the plan sees what they made.
          const outcome = await untilAborted(
            step.plan(stepCtx).then((plan) => {
              stepCtx.progress(step.describe(plan, stepCtx).summary);
              return step.apply(stepCtx, plan);
            }),
            controller.signal,
            step.id,
          );
          reports.set(step.id, { id: step.id, status: outcome.skipped ? 'skipped' : 'succeeded', durationMs: elapsed(), detail: outcome.detail });
          if (outcome.report) printed.push(outcome.report);
          state.finished.push(step.id);
          await save();
          emit({ type: 'step', step: step.id, status: outcome.skipped ? 'skipped' : 'succeeded', durationMs: elapsed(), detail: outcome.detail });
          if (outcome.skipped) task.skip(`${step.title}: ${outcome.detail}`);
          else task.title = `${step.title}: ${outcome.detail}`;
        } catch (error) {
          const interrupted = controller.signal.aborted;
          failure = { step: step.id, error };
          if (interrupted) state.interrupted = step.id;
          else state.failed = { step: step.id, code: isQedError(error) ? error.code : 'INTERNAL', message: (error as Error).message ?? String(error) };
          await save();
          reports.set(step.id, { id: step.id, status: interrupted ? 'interrupted' : 'failed', durationMs: elapsed(), detail: interrupted ? 'interrupted' : firstLine(error) });
          emit({
            type: 'step',
            step: step.id,
            status: 'failed',
            durationMs: elapsed(),
            detail: interrupted ? `interrupted (${stoppedBy(controller.signal)})` : firstLine(error),
            error: isQedError(error) ? error.toJSON() : { code: 'INTERNAL', message: String((error as Error).message ?? error) },
          });
          task.title = `${step.title}: ${interrupted ? 'interrupted' : 'failed'}`;
          throw interrupted ? new Error('interrupted') : new Error(firstLine(error));
        }
      },
    });
  }

  const list = new Listr(tasks, {
    concurrent: false,
    exitOnError: true,
    registerSignalListeners: false,
    renderer: options.renderer ?? 'default',
    fallbackRenderer: 'simple',
    rendererOptions: { collapseErrors: false, showErrorMessage: false },
  } as ConstructorParameters<typeof Listr>[1]);
  try {
    await list.run();
  } catch {
    // The task recorded the failure; it is reported below, once.
  }
  const status: BootstrapResult['status'] = failure ? (controller.signal.aborted ? 'interrupted' : 'failed') : 'succeeded';
  const command = options.command ?? 'npx qed-bootstrap';
  const resume = failure ? `${command} (the same command resumes at ${failure.step}; \`--from ${failure.step}\` does too)` : undefined;
  emit({
    type: 'pipeline',
    status,
    durationMs: Math.round(now() - started),
    reason: selection.reason,
    stateFile: ctx.paths.stateFile,
    ...(failure ? { failedStep: failure.step } : {}),
    ...(resume ? { resume } : {}),
  });
  return {
    status,
    exitCode: status === 'succeeded' ? 0 : status === 'interrupted' ? EXIT_INTERRUPTED : 1,
    selection,
    steps: STEP_IDS.map((id) => reports.get(id) as StepReport),
    ...(failure ? { failed: failure } : {}),
    reports: printed,
    ...(resume ? { resume } : {}),
    stateFile: ctx.paths.stateFile,
  };
}

export interface PlannedStep {
  id: StepId;
  title: string;
  plan: StepPlanView | null;
  /** Why this step cannot be planned yet (an earlier step would have to run first). */
  unknown?: string;
}

/**
 * --dry-run: every selected step's plan, changing nothing and writing no state.
 * Each plan hands over what its step would make (image refs, the rendered set), so
 * later steps plan against it. A plan that needs what an earlier step would make
 * (a cluster, a registry) says what it cannot know instead of failing the preview.
 */
export async function planBootstrap(input: BootstrapInput, deps: BootstrapDeps, options: Pick<RunBootstrapOptions, 'from' | 'to' | 'steps' | 'signal'> = {}): Promise<PlannedStep[]> {
  const ctx = createStepContext(input, deps, options.signal ?? new AbortController().signal, { dryRun: true });
  // A dry run previews the whole range; resuming is about applying.
  const selection = selectSteps(null, '', { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) });
  const planned: PlannedStep[] = [];
  for (const step of options.steps ?? BOOTSTRAP_STEPS) {
    if (selection.dispositions[step.id] !== 'run') continue;
    try {
      planned.push({ id: step.id, title: step.title, plan: step.describe(await step.plan(ctx), ctx) });
    } catch (error) {
      planned.push({ id: step.id, title: step.title, plan: null, unknown: `${firstLine(error)}${isQedError(error) && error.hint ? ` (${error.hint})` : ''}` });
    }
  }
  return planned;
}

export function formatPlan(planned: readonly PlannedStep[]): string {
  return planned
    .map((p) => {
      const head = `${p.id}: ${p.plan ? p.plan.summary : `cannot be planned yet: ${p.unknown ?? 'unknown'}`}`;
      return [head, ...(p.plan?.lines ?? []).map((line) => `    ${line}`)].join('\n');
    })
    .join('\n');
}

/** Races a step with Ctrl-C: the pipeline stops at once, and the signal stops the step's commands and waits behind it. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, step: StepId): Promise<T> {
  if (signal.aborted) return Promise.reject(interruptedError(step));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interruptedError(step));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** What the abort names: a signal other than SIGINT when one was given as the reason, else Ctrl-C. */
function stoppedBy(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && /^SIG[A-Z]+$/.test(reason) && reason !== 'SIGINT' ? reason : 'Ctrl-C';
}

function interruptedError(step: StepId): QedError {
  return new QedError('INTERRUPTED', `the ${step} step was interrupted`, { hint: 'Run the same command again: it resumes at this step.' });
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
