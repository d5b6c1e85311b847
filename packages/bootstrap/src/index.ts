export { abortableRunner, type TrackedRunner, trackCommands } from './abortable-runner.js';
export { type BootstrapState, hashInputs, readBootstrapState, stableStringify, writeBootstrapState } from './bootstrap-state.js';
export type { AnyBootstrapStep, BootstrapDeps, BootstrapInput, BootstrapPaths, BootstrapStep, RenderedSet, StepContext, StepHandoff, StepOutcome, StepPlanView } from './pipeline-types.js';
export { anyStep } from './pipeline-types.js';
export {
  type BootstrapEvent,
  type BootstrapRenderer,
  type BootstrapResult,
  EXIT_INTERRUPTED,
  formatPlan,
  type PlannedStep,
  planBootstrap,
  type RunBootstrapOptions,
  runBootstrap,
  type StepReport,
} from './run-bootstrap.js';
export { acquireRunLock } from './run-lock.js';
export { type StepDisposition, type StepSelection, selectSteps } from './select-steps.js';
export { bootstrapPaths, createStepContext } from './step-context.js';
export { isStepId, parseStepId, STEP_IDS, type StepId } from './step-ids.js';
export { BOOTSTRAP_STEPS } from './steps/index.js';
export { refsAsNodePulls } from './steps/manifests-step.js';
export { DEFAULT_WAIT_TIMEOUT_MS } from './steps/wait-step.js';
export { type BootstrapTarget, formatTarget, parseTarget } from './target.js';
export { type AskOptions, applyAnswers, askBootstrapAnswers, type BootstrapAnswers, type Prompter, saveAnswers } from './prompts.js';
