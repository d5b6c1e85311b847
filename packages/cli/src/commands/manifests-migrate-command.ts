import path from 'node:path';
import { detectPlatform } from '@qed/core';
import {
  formatMigratedFile,
  formatProblem,
  migrationInvalid,
  planMigration,
  readMigrationInputs,
  validateMigration,
  writeMigration,
} from '@qed/manifests';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, resolveNamespace, type ValidationServer, validationServer } from '../cluster-options.js';

interface MigrateOptions extends GlobalOptions, ClusterOptions {
  dataRoot?: string;
  out?: string;
  dryRun?: boolean;
  keepGoing?: boolean;
  offline?: boolean;
}

/**
 * `qed-bootstrap manifests migrate FILE...`: legacy manifests to current APIs.
 * What would be written is validated first, as `manifests validate` does (schema,
 * references, and the server's dry run when a cluster answers): without
 * --keep-going one refused file means nothing is written; with it the others are,
 * and the exit code is still 1. With --out the files are written there; without it
 * the YAML goes to stdout and the list of changes to stderr, so it can be piped.
 */
export async function run(ctx: CliContext, options: MigrateOptions, args: string[]): Promise<number> {
  const { output } = ctx;
  const dataRoot = path.resolve(ctx.cwd, options.dataRoot ?? (await ctx.loadConfig()).config.dataRoot);
  const platform = await detectPlatform();
  const inputs = await readMigrationInputs(args.map((p) => path.resolve(ctx.cwd, p)));
  // Every file's problems are collected (keepGoing) so one run reports them all.
  const planned = planMigration(inputs, { dataRoot, hostOs: platform.os, keepGoing: true });
  const server: ValidationServer = options.offline
    ? { how: 'against the Kubernetes schema only (--offline)' }
    : await validationServer(options);
  const namespace = server.target ? await resolveNamespace(ctx, options) : 'default';
  const { plan } = await validateMigration(planned, { namespace, ...(server.target ? { target: server.target } : {}) });
  const problems = plan.refused.flatMap((r) => r.problems);
  if (problems.length > 0 && !options.keepGoing) throw migrationInvalid(problems);

  const written = options.out && !options.dryRun ? await writeMigration(plan, path.resolve(ctx.cwd, options.out)) : [];
  const exitCode = problems.length > 0 ? 1 : 0;
  if (output.mode.json) {
    output.json({
      ok: exitCode === 0,
      dataRoot,
      checked: server.how,
      changes: plan.changes,
      warnings: plan.warnings,
      refused: plan.refused,
      written,
      files: plan.files.map((f) => ({ source: f.source, outName: f.outName, objects: f.objects.length })),
    });
    return exitCode;
  }
  for (const c of plan.changes) process.stderr.write(`${path.relative(ctx.cwd, c.file)}:${c.line} ${c.object}: ${c.change}\n`);
  for (const w of plan.warnings) output.warn(w);
  for (const p of problems) output.error(formatProblem(p));
  const refused = plan.refused.length > 0 ? `; refused ${plan.refused.length} file${plan.refused.length === 1 ? '' : 's'} (above)` : '';
  if (options.dryRun) {
    output.result(`Dry run: ${plan.changes.length} changes in ${plan.files.length} files${refused}; nothing written. Checked ${server.how}.`);
  } else if (options.out) {
    output.result(`${plan.changes.length} changes; wrote ${written.length} files to ${options.out}${refused}. Checked ${server.how}.`);
  } else output.result(plan.files.map(formatMigratedFile).join('---\n').trimEnd());
  return exitCode;
}
