import path from 'node:path';
import { projectPaths } from '@qed/core';
import { formatProblem, loadManifests, validateManifests } from '@qed/manifests';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, resolveNamespace, validationServer } from '../cluster-options.js';

/**
 * `qed-bootstrap manifests validate [DIR|FILE...]`: the schema offline always, the
 * server's dry run too when a cluster answers. Exit 1 when anything is invalid.
 */
export async function run(ctx: CliContext, options: GlobalOptions & ClusterOptions, args: string[]): Promise<number> {
  const { output } = ctx;
  const paths = (args.length > 0 ? args : [projectPaths(ctx).manifestsDir]).map((p) => path.resolve(ctx.cwd, p));
  const namespace = await resolveNamespace(ctx, options);
  const objects = await loadManifests(paths);
  const { target, how } = await validationServer(options);
  const report = await validateManifests(objects, { namespace, ...(target ? { target } : {}) });
  if (output.mode.json) {
    output.json({ ok: report.problems.length === 0, objects: report.objectCount, checkedOnServer: report.checkedOnServer, problems: report.problems, warnings: report.warnings });
  } else if (report.problems.length === 0) {
    for (const warning of report.warnings) output.warn(formatProblem(warning));
    output.result(`${report.objectCount} objects valid, checked ${how}.`);
  } else {
    for (const problem of report.problems) output.error(formatProblem(problem));
    for (const warning of report.warnings) output.warn(formatProblem(warning));
    output.result(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in ${report.objectCount} objects, checked ${how}.`);
  }
  return report.problems.length === 0 ? 0 : 1;
}
