import type { ApplyTarget } from '../apply/server-side-apply.js';
import type { SourcedObject } from '../kube-object.js';
import { formatProblem } from '../load-manifests.js';
import { validateManifests } from '../validate/validate-manifests.js';
import { type MigrationPlan, refuseFilesWithProblems } from './plan-migration.js';

export interface MigrationValidation {
  plan: MigrationPlan;
  /** Whether a server's strict dry run took part. */
  checkedOnServer: boolean;
}

/**
 * Checks what migrate is about to write exactly as `manifests validate` checks a
 * folder: the Kubernetes schema, the references between fields and objects, and the
 * server's strict dry run when a target is given. Findings point into the input
 * files (the objects keep their sources), because that is what the user fixes.
 * A file with a problem moves from `files` to `refused`; warnings join the plan's.
 */
export async function validateMigration(
  plan: MigrationPlan,
  options: { target?: ApplyTarget | Promise<ApplyTarget>; namespace: string },
): Promise<MigrationValidation> {
  const objects: SourcedObject[] = plan.files.flatMap((file) =>
    file.objects.map((object, i) => {
      const source = file.sources[i];
      if (!source) throw new Error(`migrate: no source for object ${i} of ${file.source}`);
      return { object, source };
    }),
  );
  const report = await validateManifests(objects, {
    namespace: options.namespace,
    ...(options.target ? { target: options.target } : {}),
  });
  const checked = refuseFilesWithProblems(plan, report.problems);
  return {
    plan: { ...checked, warnings: [...checked.warnings, ...report.warnings.map(formatProblem)] },
    checkedOnServer: report.checkedOnServer,
  };
}
