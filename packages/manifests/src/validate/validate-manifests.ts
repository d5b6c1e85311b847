import type { ApplyTarget } from '../apply/server-side-apply.js';
import { describeObject, type SourcedObject } from '../kube-object.js';
import type { ManifestProblem } from '../load-manifests.js';
import { unknownKindProblems, validateOffline } from './validate-offline.js';
import { validateOnServer } from './validate-on-server.js';

export interface ValidationReport {
  problems: ManifestProblem[];
  objectCount: number;
  /** Whether the server's dry run took part (a cluster was reachable). */
  checkedOnServer: boolean;
}

/**
 * Offline schema checks always; the server's strict dry run too when a cluster
 * is given. Kinds the offline schema does not know are left to the server, and
 * are problems only when there is none or it does not serve them either.
 */
export async function validateManifests(
  objects: readonly SourcedObject[],
  options: { target?: ApplyTarget; namespace: string },
): Promise<ValidationReport> {
  const offline = await validateOffline(objects);
  const problems = [...offline.problems];
  if (!options.target) {
    problems.push(...unknownKindProblems(offline.unknownKinds));
    return { problems, objectCount: objects.length, checkedOnServer: false };
  }
  const { target } = options;
  const served = await Promise.all(offline.unknownKinds.map(async (o) => ((await target.discovery.lookup(o.object.apiVersion, o.object.kind)) ? null : o)));
  problems.push(...unknownKindProblems(served.filter((o): o is SourcedObject => o !== null)));
  // Objects that already failed offline are not sent: one message per mistake.
  const failed = new Set(problems.map((p) => `${p.file}#${p.object}`));
  const clean = objects.filter((o) => !failed.has(`${o.source.file}#${describeObject(o.object)}`));
  problems.push(...(await validateOnServer(target, clean, options.namespace)));
  return { problems, objectCount: objects.length, checkedOnServer: true };
}

