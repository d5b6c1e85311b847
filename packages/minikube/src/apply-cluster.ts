import { type CommandRunner, type ConsentRequest, describeCommand, isQedError, requireConsent, runOrThrow } from '@qed/core';
import type { ClusterAction, ClusterPlan, PlannedCommand } from './cluster-plan.js';
import { startFailure } from './start-failure.js';

export interface ApplyClusterDeps {
  runner: CommandRunner;
  /** Given by the CLI after a prompt or --yes; without it a recreate is refused. */
  consent?: boolean;
  /** minikube start takes minutes: its output is passed on for progress. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Called before each planned command. */
  onStep?: (step: PlannedCommand) => void;
  /** Default 15 minutes: a first start downloads the ISO and images. */
  startTimeoutMs?: number;
}

export interface ApplyClusterResult {
  profile: string;
  action: ClusterAction;
  /** The commands run, as they would be typed. */
  ran: string[];
  /** The kubectl context after apply; null when kubectl is not installed. */
  context: string | null;
  /** True when the current context was another one and was switched to the profile. */
  contextSwitched: boolean;
}

/** What a recreate destroys, for the refusal when it was not agreed to. */
function recreateRequest(plan: ClusterPlan): ConsentRequest {
  const what = plan.differences.length
    ? plan.differences.map((d) => `${d.setting} ${d.current} -> ${d.wanted}`).join('; ')
    : `profile ${plan.profile} is invalid`;
  return {
    action: `Deleting and creating profile ${plan.profile} again (${what})`,
    alternative: 'pass settings that match the existing cluster',
    data: { profile: plan.profile, differences: plan.differences },
  };
}

/** Runs the plan's commands in order, then makes the profile the kubectl context. */
export async function applyClusterPlan(plan: ClusterPlan, deps: ApplyClusterDeps): Promise<ApplyClusterResult> {
  if (plan.needsConsent) requireConsent(deps.consent, recreateRequest(plan));
  const ran: string[] = [];
  for (const step of plan.steps) {
    deps.onStep?.(step);
    const spec = {
      command: step.command,
      args: step.args,
      ...(deps.onOutput ? { onOutput: deps.onOutput } : {}),
      ...(step.kind === 'start' ? { timeoutMs: deps.startTimeoutMs ?? 15 * 60_000 } : {}),
    };
    ran.push(describeCommand(spec));
    if (step.kind === 'start') {
      const result = await deps.runner.run(spec);
      if (result.exitCode !== 0) throw startFailure(result);
    } else {
      await runOrThrow(deps.runner, spec, {
        code: 'MINIKUBE_DELETE_FAILED',
        what: `Could not ${step.why}`,
        hint: `Run \`${describeCommand(spec)}\` by hand to see the full error.`,
      });
    }
  }
  const { context, switched } = await ensureContext(deps.runner, plan.profile);
  return { profile: plan.profile, action: plan.action, ran, context, contextSwitched: switched };
}

/**
 * minikube start makes the profile the current context; a later `kubectl config
 * use-context` elsewhere may have moved it. Every later step talks to "the
 * current context", so it is checked and put back.
 */
export async function ensureContext(
  runner: CommandRunner,
  profile: string,
): Promise<{ context: string | null; switched: boolean }> {
  let current: string;
  try {
    const result = await runner.run({ command: 'kubectl', args: ['config', 'current-context'] });
    current = result.exitCode === 0 ? result.stdout.trim() : '';
  } catch (error) {
    if (isQedError(error, 'COMMAND_NOT_FOUND')) return { context: null, switched: false };
    throw error;
  }
  if (current === profile) return { context: profile, switched: false };
  await runOrThrow(
    runner,
    { command: 'kubectl', args: ['config', 'use-context', profile] },
    {
      code: 'KUBE_CONTEXT_MISSING',
      what: `The kubeconfig has no context for profile ${profile}`,
      hint: `Run \`minikube update-context -p ${profile}\`, then \`kubectl config use-context ${profile}\`.`,
    },
  );
  return { context: profile, switched: true };
}
