import path from 'node:path';
import { detectPlatform } from '@qed/core';
import { formatMigratedFile, planMigration, readMigrationInputs, writeMigration } from '@qed/manifests';
import type { CliContext, GlobalOptions } from '../cli-context.js';

interface MigrateOptions extends GlobalOptions {
  dataRoot?: string;
  out?: string;
  dryRun?: boolean;
}

/**
 * `qed-bootstrap manifests migrate FILE...`: legacy manifests to current APIs.
 * With --out the files are written there; without it the YAML goes to stdout and
 * the list of changes to stderr, so the output can be piped.
 */
export async function run(ctx: CliContext, options: MigrateOptions, args: string[]): Promise<number> {
  const { output } = ctx;
  const dataRoot = path.resolve(ctx.cwd, options.dataRoot ?? (await ctx.loadConfig()).config.dataRoot);
  const platform = await detectPlatform();
  const inputs = await readMigrationInputs(args.map((p) => path.resolve(ctx.cwd, p)));
  const plan = planMigration(inputs, { dataRoot, hostOs: platform.os });
  const written = options.out && !options.dryRun ? await writeMigration(plan, path.resolve(ctx.cwd, options.out)) : [];
  if (output.mode.json) {
    output.json({ dataRoot, changes: plan.changes, warnings: plan.warnings, written, files: plan.files.map((f) => ({ source: f.source, outName: f.outName, objects: f.objects.length })) });
    return 0;
  }
  for (const c of plan.changes) process.stderr.write(`${path.relative(ctx.cwd, c.file)}:${c.line} ${c.object}: ${c.change}\n`);
  for (const w of plan.warnings) output.warn(w);
  if (options.dryRun) output.result(`Dry run: ${plan.changes.length} changes in ${plan.files.length} files; nothing written.`);
  else if (written.length > 0) output.result(`${plan.changes.length} changes; wrote ${written.length} files to ${options.out}.`);
  else output.result(plan.files.map(formatMigratedFile).join('---\n').trimEnd());
  return 0;
}
