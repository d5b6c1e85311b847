import path from 'node:path';
import { Discovery, formatProblem, loadManifests, probeCluster, validateManifests } from '@qed/manifests';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, connect, resolveNamespace } from '../cluster-options.js';
import { DEFAULT_MANIFESTS_DIR } from './apply-command.js';

/**
 * `qed-bootstrap manifests validate [DIR|FILE...]`: the schema offline always, the
 * server's dry run too when a cluster answers. Exit 1 when anything is invalid.
 */
export async function run(ctx: CliContext, options: GlobalOptions & ClusterOptions, args: string[]): Promise<number> {
  const { output } = ctx;
  const paths = (args.length > 0 ? args : [DEFAULT_MANIFESTS_DIR]).map((p) => path.resolve(ctx.cwd, p));
  const namespace = await resolveNamespace(ctx, options);
  const objects = await loadManifests(paths);
  let target: { api: Awaited<ReturnType<typeof connect>>['api']; discovery: Discovery } | undefined;
  // How the objects were checked, completing "checked …".
  let how: string;
  try {
    const { api, context } = await connect(options);
    const probe = await probeCluster(api);
    if (probe.reachable) {
      target = { api, discovery: new Discovery(api) };
      how = `against the Kubernetes schema and by the server's dry run on ${context} (Kubernetes ${probe.version})`;
    } else how = `against the Kubernetes schema only: the cluster of context ${context} does not answer (${probe.reason})`;
  } catch (error) {
    how = `against the Kubernetes schema only: ${(error as Error).message}`;
  }
  const report = await validateManifests(objects, { namespace, ...(target ? { target } : {}) });
  if (output.mode.json) {
    output.json({ ok: report.problems.length === 0, objects: report.objectCount, checkedOnServer: report.checkedOnServer, problems: report.problems });
  } else if (report.problems.length === 0) {
    output.result(`${report.objectCount} objects valid, checked ${how}.`);
  } else {
    for (const problem of report.problems) output.error(formatProblem(problem));
    output.result(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in ${report.objectCount} objects, checked ${how}.`);
  }
  return report.problems.length === 0 ? 0 : 1;
}
