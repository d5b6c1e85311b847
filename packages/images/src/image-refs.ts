import path from 'node:path';
import { describeJsonValue, ensureQedDir, PROJECT_FILES, QedError, readJsonFile, shellQuote, writeFileAtomic } from '@qed/core';
import type { ImageResult } from './apply-images.js';
import type { ImagePlan } from './plan-images.js';

/**
 * Source -> ref to deploy. Built, skipped and mirrored images point at the local
 * registry; kept-remote and missing-context ones at their source. A failed image is left
 * out: deploying the remote image in its place would hide the failure.
 */
export function imageRefs(results: readonly ImageResult[]): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const result of [...results].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))) {
    if (result.status === 'failed') continue;
    refs[result.source] = result.ref && result.status !== 'kept-remote' && result.status !== 'missing-context' ? result.ref : result.source;
  }
  return refs;
}

/**
 * The refs `applyImages` will hand over if every image succeeds: what a dry run
 * renders with. Built, skipped and mirrored images at their local ref; the others
 * at their source.
 */
export function plannedImageRefs(plan: ImagePlan): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const image of [...plan.images].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))) {
    refs[image.source] = 'ref' in image ? image.ref : image.source;
  }
  return refs;
}

/**
 * Writes the refs as JSON (keys sorted, so the file diffs cleanly), atomically: a
 * reader never sees half a file and a crash leaves the old one.
 */
export async function writeImageRefs(results: readonly ImageResult[], file: string = PROJECT_FILES.imagesFile): Promise<Record<string, string>> {
  const refs = imageRefs(results);
  await ensureQedDir(path.dirname(file));
  await writeFileAtomic(file, `${JSON.stringify(refs, null, 2)}\n`, 0o644);
  return refs;
}

/**
 * One image rebuilt on its own (`qed-bootstrap dev`): its ref replaced in the file,
 * the others kept, so the next bootstrap or apply deploys what is running.
 */
export async function updateImageRef(file: string, source: string, ref: string): Promise<Record<string, string>> {
  const refs = { ...((await readImageRefs(file)) ?? {}), [source]: ref };
  const sorted = Object.fromEntries(Object.entries(refs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await ensureQedDir(path.dirname(file));
  await writeFileAtomic(file, `${JSON.stringify(sorted, null, 2)}\n`, 0o644);
  return sorted;
}

/**
 * The refs the images step wrote, or null when it has not run here (render then
 * uses the configured images). A file that is there but is not JSON, or not a map
 * of image -> ref, stops with IMAGE_REFS_INVALID naming it and how to write it again.
 */
export async function readImageRefs(file: string = PROJECT_FILES.imagesFile): Promise<Record<string, string> | null> {
  const invalid = (problem: string) => refsInvalid(file, problem);
  const read = await readJsonFile(file, invalid);
  if (!read) return null;
  const refs = read.value;
  const wrong = (problem: string) => invalid(`is not a map of image refs: ${problem}`);
  if (refs === null || typeof refs !== 'object' || Array.isArray(refs)) throw wrong(`${describeJsonValue(refs)} where an object was expected`);
  for (const [source, ref] of Object.entries(refs)) {
    if (typeof ref !== 'string' || ref === '') throw wrong(`${JSON.stringify(source)} is ${describeJsonValue(ref)} (an image ref was expected)`);
  }
  return refs as Record<string, string>;
}

function refsInvalid(file: string, problem: string): QedError {
  return new QedError('IMAGE_REFS_INVALID', `${file} ${problem}`, {
    hint:
      `The images step writes it: delete it (\`rm ${shellQuote(file)}\`) and run \`npx qed-bootstrap --from images\` (or \`npx qed-bootstrap images push\`) to write it again. ` +
      'Images already in the registry under their content tag are found there and not built again; the others are built and pushed.',
    data: { file },
  });
}
