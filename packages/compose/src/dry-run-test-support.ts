import path from 'node:path';
import { type KubeObject, type SourcedObject, validateManifests } from '@qed/manifests';

type ApplyTarget = NonNullable<Parameters<typeof validateManifests>[1]['target']>;

/** The objects through the real API server's strict dry run, as `apply` validates them, located at `file`. */
export async function serverDryRun(target: ApplyTarget, objects: readonly KubeObject[], file: string) {
  const sourced: SourcedObject[] = objects.map((object) => ({ object, source: { file: path.basename(file), documentIndex: 0, line: 1, lineOf: () => 1 } }));
  const report = await validateManifests(sourced, { target, namespace: 'default' });
  return { checkedOnServer: report.checkedOnServer, problems: report.problems };
}
