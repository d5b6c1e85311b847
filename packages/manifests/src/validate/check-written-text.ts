import type { SourcedObject } from '../kube-object.js';
import { type ManifestProblem, parseManifestText } from '../load-manifests.js';
import { type OfflineResult, validateOffline } from './validate-offline.js';

export interface WrittenTextCheck {
  /** The objects as they read back from the text, located in it. */
  objects: SourcedObject[];
  /** The YAML that does not read back (never expected from our own writer), then the schema's and references' problems. */
  problems: ManifestProblem[];
  warnings: ManifestProblem[];
  /** The offline result, for a caller that validates on a server next and must not check twice. */
  offline: OfflineResult;
}

/**
 * What render and convert check before they write: each file's text as it will be
 * written, read back and checked offline (schema and references), so a finding
 * names the file and line a reader will see.
 */
export async function checkWrittenText(files: ReadonlyArray<{ file: string; text: string }>): Promise<WrittenTextCheck> {
  const problems: ManifestProblem[] = [];
  const objects = files.flatMap(({ file, text }) => {
    const parsed = parseManifestText(text, file);
    problems.push(...parsed.problems);
    return parsed.objects;
  });
  const offline = await validateOffline(objects);
  return { objects, problems: [...problems, ...offline.problems], warnings: offline.warnings, offline };
}
