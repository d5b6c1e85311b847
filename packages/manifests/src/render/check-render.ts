import path from 'node:path';
import type { SourcedObject } from '../kube-object.js';
import { type ManifestProblem, manifestsInvalid, parseManifestText } from '../load-manifests.js';
import { checkWrittenText } from '../validate/check-written-text.js';
import type { OfflineResult } from '../validate/validate-offline.js';
import { formatRenderedFile } from './format-rendered-file.js';
import type { RenderPlan } from './render-types.js';

/** Each file of the plan with the path and text render writes. */
function renderedTexts(plan: RenderPlan, outDir: string) {
  return plan.files.map((file) => ({ file: path.join(outDir, file.name), text: formatRenderedFile(file) }));
}

/**
 * The plan's objects as they will read back from the files render writes into
 * `outDir`, located in them (for planning against, where nothing is checked yet).
 */
export function renderedObjects(plan: RenderPlan, outDir: string): SourcedObject[] {
  return renderedTexts(plan, outDir).flatMap(({ file, text }) => {
    const parsed = parseManifestText(text, file);
    // Our own writer's output always parses; if it ever did not, say so rather than drop objects.
    if (parsed.problems.length > 0) throw manifestsInvalid(parsed.problems, 'rendered manifests');
    return parsed.objects;
  });
}

/**
 * What `manifests render` and the bootstrap check before writing anything: the same
 * schema and reference checks `manifests validate` and `migrate` make, on the text
 * as written. Problems throw (nothing is written); warnings and the offline result
 * are returned (the bootstrap hands the latter to the server's check, so the schema
 * is not checked twice).
 */
export async function checkRenderPlan(
  plan: RenderPlan,
  outDir: string,
): Promise<{ objects: SourcedObject[]; warnings: ManifestProblem[]; offline: OfflineResult }> {
  const checked = await checkWrittenText(renderedTexts(plan, outDir));
  if (checked.problems.length > 0) {
    throw manifestsInvalid(
      checked.problems,
      'rendered manifests',
      'The base manifests or the profile produce these: fix them (manifests/base, manifests/profiles) and render again. Nothing was written.',
    );
  }
  return { objects: checked.objects, warnings: checked.warnings, offline: checked.offline };
}
