import path from 'node:path';
import { projectPaths, QedError } from '@qed/core';
import { type AppliedObject, loadManifests, runApply, type SourcedObject } from '@qed/manifests';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, connect, resolveNamespace } from '../cluster-options.js';
import { confirm } from '../confirm.js';


interface ApplyOptions extends GlobalOptions, ClusterOptions {
  dir?: string;
  wait?: boolean;
  timeout?: string;
  prune?: boolean;
  dryRun?: boolean;
}

/** `qed-bootstrap apply`: validate all, then apply by tiers, prune, wait. */
export async function run(ctx: CliContext, options: ApplyOptions): Promise<number> {
  const dir = path.resolve(ctx.cwd, options.dir ?? projectPaths(ctx).manifestsDir);
  const namespace = await resolveNamespace(ctx, options);
  const timeoutSeconds = Number(options.timeout ?? 300);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new QedError('USAGE', `--timeout must be a number of seconds, not "${options.timeout}"`, { hint: 'For example --timeout 600.' });
  }
  // Connecting loads the Kubernetes client; it starts before the files are read.
  const connecting = connect(options);
  connecting.catch(() => undefined);
  const objects = await loadManifests([dir]);
  return applyObjects(ctx, connecting, objects, { ...options, namespace, timeoutMs: timeoutSeconds * 1000, from: dir });
}

export interface ApplyObjectsOptions extends GlobalOptions {
  namespace: string;
  timeoutMs: number;
  /** Where the objects came from, for messages (a folder, or "compose files"). */
  from: string;
  wait?: boolean;
  prune?: boolean;
  dryRun?: boolean;
}

/** Applies objects already in memory and reports as `apply` does; shared by apply and convert --apply. */
export async function applyObjects(
  ctx: CliContext,
  connecting: ReturnType<typeof connect>,
  objects: readonly SourcedObject[],
  options: ApplyObjectsOptions,
): Promise<number> {
  const { output } = ctx;
  const { namespace, from: dir } = options;
  output.info(`${options.dryRun ? 'Dry run: ' : ''}applying ${objects.length} objects from ${dir}, namespace ${namespace}`);
  const result = await runApply(connecting.then((c) => c.api), objects, {
    namespace,
    dryRun: options.dryRun === true,
    prune: options.prune === true,
    confirmPrune: (names) => {
      output.info(`Prune would delete:\n  ${names.join('\n  ')}`);
      return confirm(ctx, `Delete these ${names.length} objects, which are no longer in ${dir}?`, options);
    },
    wait: options.wait === true,
    timeoutMs: options.timeoutMs,
    onObject: (a) => output.info(formatApplied(a, output.paint.bind(output))),
    onReady: (object, summary) => output.info(`  ${output.paint('green', 'ready')} ${object} (${summary})`),
  });
  const notReady = result.wait?.notReady ?? [];
  if (output.mode.json) {
    const { context } = await connecting;
    output.json({ ok: notReady.length === 0 && result.pruneDeclined.length === 0, namespace, context, ...result, plan: undefined });
  } else {
    if (result.pruned.length > 0) output.info(`${options.dryRun ? 'would prune' : 'pruned'}: ${result.pruned.join(', ')}`);
    if (result.pruneDeclined.length > 0) {
      output.warn(`not pruned (no consent): ${result.pruneDeclined.join(', ')}. Run again with --yes to delete them.`);
    }
    const counts = countActions(result.applied);
    output.result(`${options.dryRun ? 'Dry run, nothing changed: ' : ''}${counts}`);
    for (const d of notReady) {
      output.error(`${d.object} is not ready: ${d.message}`);
      output.result(`  ${output.paint('bold', 'fix:')} ${d.hint}`);
    }
  }
  return notReady.length > 0 ? 1 : 0;
}

function formatApplied(a: AppliedObject, paint: (s: 'green' | 'yellow' | 'gray', t: string) => string): string {
  const style = a.action === 'unchanged' ? 'gray' : a.action === 'created' ? 'green' : 'yellow';
  return `  ${paint(style, `${a.action}${a.dryRun ? ' (dry run)' : ''}`)} ${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}`;
}

function countActions(applied: readonly AppliedObject[]): string {
  const counts = new Map<string, number>();
  for (const a of applied) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
  return [...counts].map(([action, n]) => `${n} ${action}`).join(', ') || 'nothing to apply';
}
