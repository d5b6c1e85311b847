import os from 'node:os';
import { CONFIG_FILE_NAME, QED_SERVICES, QedError } from '@qed/core';
import type { ManifestProfile } from '@qed/manifests';
import type { BootstrapEvent, BootstrapInput, BootstrapRenderer, Prompter } from '@qed/bootstrap';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { renderError } from '../render-error.js';

interface BootstrapOptions extends GlobalOptions {
  target?: string;
  profile?: string;
  namespace?: string;
  only?: string;
  from?: string;
  to?: string;
  dryRun?: boolean;
}

const PROFILES: readonly ManifestProfile[] = ['local', 'aws', 'azure'];

/**
 * `npx qed-bootstrap`: the guided bootstrap. Prompts (on a terminal, without --yes
 * or CI) for what matters, then runs the pipeline of @qed/bootstrap: doctor,
 * cluster, registry, docker config, images, manifests, apply, wait, summary.
 */
export async function run(ctx: CliContext, options: BootstrapOptions): Promise<number> {
  const bootstrap = await import('@qed/bootstrap');
  const { output } = ctx;
  const loaded = await ctx.loadConfig();
  let config = loaded.config;
  let target = bootstrap.parseTarget(options.target);
  let profile = parseProfile(options.profile);
  const only = options.only ? parseServices(options.only) : undefined;
  const from = options.from === undefined ? undefined : bootstrap.parseStepId(options.from, '--from');
  const to = options.to === undefined ? undefined : bootstrap.parseStepId(options.to, '--to');
  const { detectPlatform } = await import('@qed/core');
  const platform = await detectPlatform();
  // CI=true means "never prompt", not "agree": as with every other command, only --yes
  // (or an answer) allows what cannot be undone (recreating a cluster, editing docker's config).
  let consent = options.yes === true;
  let fixDockerConfig = consent;

  if (output.mode.interactive && !options.dryRun) {
    const prompter = await inquirerPrompter();
    const answers = await bootstrap.askBootstrapAnswers(prompter, { config, target, profile, contexts: await kubeContexts(), macos: platform.os === 'macos' });
    const answered = bootstrap.applyAnswers(config, answers);
    if (JSON.stringify(answered) !== JSON.stringify(config)) {
      const file = loaded.file ?? (await import('node:path')).join(ctx.projectDir, CONFIG_FILE_NAME);
      if (await prompter.confirm({ message: `Save these answers to ${file}?`, default: false })) {
        const saved = await bootstrap.saveAnswers(file, config, answers, ctx.clock.now());
        output.info(saved.changed.length ? `Saved ${saved.changed.join(', ')} to ${saved.file}${saved.backup ? ` (backup: ${saved.backup})` : ''}.` : 'Nothing to save.');
      }
    }
    config = answered;
    target = answers.target;
    profile = answers.profile;
    // A cluster made with other settings can only be recreated, which deletes its VM: asked up front, since listr owns the terminal later.
    consent = target.kind === 'minikube' && (await prompter.confirm({ message: 'Recreate the minikube cluster if it was made with other settings (deletes its VM)?', default: false }));
    fixDockerConfig = answers.fixDockerConfig ?? false;
  }

  const input: BootstrapInput = {
    config,
    target,
    namespace: options.namespace ?? config.namespace,
    profile,
    ...(only ? { only } : {}),
    consent,
    fixDockerConfig,
  };
  // Counted, so that a second signal can wait for the kill of what is still running (below).
  const commands = bootstrap.trackCommands(ctx.runner);
  const deps = { cwd: ctx.projectDir, homeDir: ctx.homeDir, env: ctx.env, runner: commands, clock: ctx.clock, platform: async () => platform };

  if (options.dryRun) {
    const planned = await bootstrap.planBootstrap(input, deps, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
    if (output.mode.json) for (const step of planned) output.jsonLine({ type: 'plan', step: step.id, ...(step.plan ?? { unknown: step.unknown }) });
    else output.result(`Dry run (target ${bootstrap.formatTarget(target)}, namespace ${input.namespace}): nothing is changed.\n${bootstrap.formatPlan(planned)}`);
    return 0;
  }

  // Ctrl-C (or SIGTERM, or a closed terminal) stops the running step and records it,
  // and the run's lock is released. The abort only starts the kill of the running
  // commands' process trees (the runner reads the process table, then sends SIGTERM,
  // and SIGKILL after a grace), and the pipeline moves on meanwhile. So a second
  // signal leaves once that kill has landed, or after SECOND_SIGNAL_WAIT_MS; leaving
  // at once would orphan those processes, a SIGTERM-proof one for good. A third
  // leaves at once. The lock goes however it leaves (its exit hook).
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  let leaving = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      stoppedBy = signal;
      controller.abort(signal);
      return;
    }
    const exitCode = exitCodeFor(stoppedBy ?? signal);
    if (leaving) process.exit(exitCode);
    leaving = true;
    if (commands.running() > 0) output.warn(`waiting up to ${SECOND_SIGNAL_WAIT_MS / 1000}s for the running command and its children to stop; interrupt again to leave at once`);
    void commands.idle(SECOND_SIGNAL_WAIT_MS).then(() => process.exit(exitCode));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const renderer: BootstrapRenderer = output.mode.json ? 'silent' : output.mode.debug ? 'verbose' : process.stdout.isTTY && !output.mode.ci ? 'default' : 'simple';
  const onEvent = output.mode.json ? (event: BootstrapEvent) => output.jsonLine(event) : undefined;
  if (!output.mode.json) output.info(`qed-bootstrap: target ${bootstrap.formatTarget(target)}, namespace ${input.namespace}, profile ${profile}`);
  let result: Awaited<ReturnType<typeof bootstrap.runBootstrap>>;
  try {
    result = await bootstrap.runBootstrap(input, deps, {
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      renderer,
      signal: controller.signal,
      ...(onEvent ? { onEvent } : {}),
      command: resumeCommand(),
      onNotice: (message) => output.warn(message),
    });
  } finally {
    // Kept while an aborted command is still being killed: a signal then is a second one, not the default exit.
    void commands.idle().then(() => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    });
  }
  const exitCode = result.status === 'interrupted' && stoppedBy ? exitCodeFor(stoppedBy) : result.exitCode;
  if (output.mode.json) return exitCode;
  if (result.selection.resumedFrom) output.info(`(${result.selection.reason}; ${result.selection.carriedOver.join(', ')} done in a previous run)`);
  for (const report of result.reports) output.result(report);
  if (result.status === 'interrupted') {
    output.warn(`interrupted${stoppedBy && stoppedBy !== 'SIGINT' ? ` by ${stoppedBy}` : ''} during ${result.failed?.step}; state kept in ${result.stateFile}.`);
    output.result(`Resume with: ${result.resume}`);
  } else if (result.failed) {
    renderError(result.failed.error, output);
    output.result(`The ${result.failed.step} step failed. After the fix, resume with: ${result.resume}`);
  } else {
    output.result(`Done: every step from ${result.selection.start} to ${result.selection.end} succeeded.`);
  }
  return exitCode;
}

/** What stops a run gracefully. SIGKILL cannot be caught: its lock is left, and the next run takes it over. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Longer than the runner's grace between SIGTERM and SIGKILL (5 s), with room to read the process table. */
const SECOND_SIGNAL_WAIT_MS = 10_000;

/** 128 + the signal's number, as shells report a process a signal stopped: 130, 143, 129. */
function exitCodeFor(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 2);
}

function parseProfile(value: string | undefined): ManifestProfile {
  if (value === undefined) return 'local';
  if ((PROFILES as readonly string[]).includes(value)) return value as ManifestProfile;
  throw new QedError('USAGE', `--profile ${JSON.stringify(value)} is not a manifest profile`, { hint: `Use one of: ${PROFILES.join(', ')}.` });
}

function parseServices(value: string): string[] {
  const services = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = services.filter((s) => !(QED_SERVICES as readonly string[]).includes(s));
  if (unknown.length > 0 || services.length === 0) {
    throw new QedError('USAGE', `--only: ${unknown.length ? `unknown service${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` : 'no service given'}`, {
      hint: `Use a comma-separated list of: ${QED_SERVICES.join(', ')}.`,
    });
  }
  return services;
}

/** The command line as typed, so the resume hint can be pasted back. */
function resumeCommand(): string {
  const args = process.argv.slice(2).filter((a, i, all) => a !== '--from' && all[i - 1] !== '--from' && !a.startsWith('--from='));
  return ['npx qed-bootstrap', ...args].join(' ');
}

async function kubeContexts(): Promise<string[]> {
  try {
    const { loadKubeConfig } = await import('@qed/kube');
    return (await loadKubeConfig({}).catch(() => null))?.contexts ?? [];
  } catch {
    return [];
  }
}

async function inquirerPrompter(): Promise<Prompter> {
  const prompts = await import('@inquirer/prompts');
  return {
    select: (q) => prompts.select({ message: q.message, choices: q.choices.map((c) => ({ value: c.value, name: c.name ?? c.value })), ...(q.default ? { default: q.default } : {}) }),
    input: (q) => prompts.input({ message: q.message, ...(q.default ? { default: q.default } : {}), ...(q.validate ? { validate: q.validate } : {}) }),
    checkbox: (q) => prompts.checkbox({ message: q.message, choices: q.choices.map((c) => ({ value: c.value, checked: c.checked })) }),
    confirm: (q) => prompts.confirm({ message: q.message, ...(q.default !== undefined ? { default: q.default } : {}) }),
  };
}
