import path from 'node:path';
import type { SourcedObject } from '../kube-object.js';
import { type ManifestProblem, manifestsInvalid, parseManifestText } from '../load-manifests.js';
import { validateOffline } from '../validate/validate-offline.js';
import { formatRenderedFile } from './format-rendered-file.js';
import type { RenderPlan } from './render-types.js';

/**
 * The plan's objects as they will read back from the files render writes into
 * `outDir`: the text is formatted and parsed again, so what is checked is what a
 * reader (kubectl, `apply`) gets, and every finding names the file and line written.
 */
export function renderedObjects(plan: RenderPlan, outDir: string): SourcedObject[] {
  return plan.files.flatMap((file) => {
    const parsed = parseManifestText(formatRenderedFile(file), path.join(outDir, file.name));
    // Our own writer's output always parses; if it ever did not, say so rather than drop objects.
    if (parsed.problems.length > 0) throw manifestsInvalid(parsed.problems, 'rendered manifests');
    return parsed.objects;
  });
}

/**
 * What `manifests render` and the bootstrap check before writing anything: the same
 * schema and reference checks `manifests validate` and `migrate` make. Problems
 * throw (nothing is written); warnings are returned for the caller to show.
 */
export async function checkRenderPlan(plan: RenderPlan, outDir: string): Promise<{ objects: SourcedObject[]; warnings: ManifestProblem[] }> {
  const objects = renderedObjects(plan, outDir);
  const offline = await validateOffline(objects);
  if (offline.problems.length > 0) {
    throw manifestsInvalid(
      offline.problems,
      'rendered manifests',
      'The base manifests or the profile produce these: fix them (manifests/base, manifests/profiles) and render again. Nothing was written.',
    );
  }
  return { objects, warnings: offline.warnings };
}
