import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { QedError, writeFileAtomic } from '@qed/core';
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
 * Writes the refs as JSON (keys sorted, so the file diffs cleanly), atomically: a
 * reader never sees half a file and a crash leaves the old one.
 */
export async function writeImageRefs(results: readonly ImageResult[], file: string = DEFAULT_IMAGE_REFS_FILE): Promise<Record<string, string>> {
  const refs = imageRefs(results);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(refs, null, 2)}\n`, 0o644);
  return refs;
}

/** The refs the images step wrote, or null when it has not run here (render then uses the configured images). */
export async function readImageRefs(file: string = DEFAULT_IMAGE_REFS_FILE): Promise<Record<string, string> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch (error) {
    throw new QedError('IMAGE_REFS_INVALID', `${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Run `npx qed-bootstrap images push` (or the pipeline `--from images`) to write it again, or delete it to render the configured images.',
    });
  }
}
