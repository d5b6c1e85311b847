import type { ApplyTarget } from '../apply/server-side-apply.js';
import type { SourcedObject } from '../kube-object.js';
import type { ManifestProblem } from '../load-manifests.js';
import { type OfflineResult, unknownKindProblems, validateOffline } from './validate-offline.js';
import { validateOnServer } from './validate-on-server.js';

export interface ValidationReport {
  problems: ManifestProblem[];
  /** What the server accepts but will not run as meant; never a reason to refuse. */
  warnings: ManifestProblem[];
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
  options: {
    target?: ApplyTarget | Promise<ApplyTarget>;
    namespace: string;
    /** The offline checks' result for these same objects, when the caller has it already. */
    offline?: OfflineResult;
  },
): Promise<ValidationReport> {
  const offlineChecks = () => (options.offline ? Promise.resolve(options.offline) : validateOffline(objects));
  if (!options.target) {
    const offline = await offlineChecks();
    return {
      problems: [...offline.problems, ...unknownKindProblems(offline.unknownKinds)],
      warnings: offline.warnings,
      objectCount: objects.length,
      checkedOnServer: false,
    };
  }
  // The server's dry run is mostly waiting on the network (and the connection may
  // still be being made): it runs while the offline checks use the CPU. Kinds the
  // server does not serve it skips.
  const targetReady = Promise.resolve(options.target);
  const [offline, server, target] = await Promise.all([
    offlineChecks(),
    targetReady.then((t) => validateOnServer(t, objects, options.namespace)),
    targetReady,
  ]);
  const problems = [...offline.problems];
  const served = await Promise.all(offline.unknownKinds.map(async (o) => ((await target.discovery.lookup(o.object.apiVersion, o.object.kind)) ? null : o)));
  problems.push(...unknownKindProblems(served.filter((o): o is SourcedObject => o !== null)));
  // One message per mistake: an object the offline checks already faulted keeps only those.
  const faulted = new Set(problems.map((p) => `${p.file}#${p.object}`));
  problems.push(...server.filter((p) => !faulted.has(`${p.file}#${withoutNamespace(p.object)}`) && !faulted.has(`${p.file}#${p.object}`)));
  return { problems, warnings: offline.warnings, objectCount: objects.length, checkedOnServer: true };
}

/** Server problems name the namespace the object goes to; offline ones the one it was written with. */
function withoutNamespace(object: string | undefined): string {
  return (object ?? '').replace(/^(\S+) [^/\s]+\//, '$1 ');
}

