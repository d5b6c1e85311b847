import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageResult } from './apply-images.js';

/** Where manifest render and the pipeline read which image to use for each source. */
export const DEFAULT_IMAGE_REFS_FILE = '.qed/images.json';

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
 * Writes the refs as JSON (keys sorted, so the file diffs cleanly). Through a temp file
 * and a rename, so a reader never sees half a file and a crash leaves the old one.
 */
export async function writeImageRefs(results: readonly ImageResult[], file: string = DEFAULT_IMAGE_REFS_FILE): Promise<Record<string, string>> {
  const refs = imageRefs(results);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(refs, null, 2)}\n`);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return refs;
}
