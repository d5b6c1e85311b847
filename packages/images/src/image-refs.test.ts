import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQedError } from '@qed/core';
import { makeTree } from './__fixtures__/test-helpers.js';
import type { ImageResult } from './apply-images.js';
import { DEFAULT_IMAGE_REFS_FILE, readImageRefs, writeImageRefs } from './image-refs.js';

const results: ImageResult[] = [
  { name: 'b', source: 'q/b:latest', action: 'build', status: 'built', ref: 'r:5000/b:c-1', durationMs: 1 },
  { name: 'a', source: 'q/a:latest', action: 'skip', status: 'skipped', ref: 'r:5000/a:c-2', durationMs: 0 },
  { name: 'm', source: 'p/m:11', action: 'mirror', status: 'mirrored', ref: 'r:5000/m:11', durationMs: 1 },
  { name: 'k', source: 'q/k:latest', action: 'keep-remote', status: 'kept-remote', durationMs: 0 },
  { name: 'g', source: 'q/g:latest', action: 'missing-context', status: 'missing-context', durationMs: 0 },
  { name: 'f', source: 'q/f:latest', action: 'build', status: 'failed', ref: 'r:5000/f:c-3', durationMs: 1 },
];

describe('writeImageRefs', () => {
  it('maps each source to the ref to deploy, keys sorted, atomically, leaving failed images out', async () => {
    const root = await makeTree({});
    const file = path.join(root, DEFAULT_IMAGE_REFS_FILE);
    await writeImageRefs(results, file);
    expect(await readFile(file, 'utf8')).toBe(
      `${JSON.stringify(
        {
          'p/m:11': 'r:5000/m:11',
          'q/a:latest': 'r:5000/a:c-2',
          'q/b:latest': 'r:5000/b:c-1',
          'q/g:latest': 'q/g:latest',
          'q/k:latest': 'q/k:latest',
        },
        null,
        2,
      )}\n`,
    );
    // No temp file left behind.
    expect(await readdir(path.dirname(file))).toEqual(['images.json']);
  });
});

describe('readImageRefs', () => {
  it('reads back what writeImageRefs wrote, and null when the images step has not run', async () => {
    const root = await makeTree({});
    const file = path.join(root, DEFAULT_IMAGE_REFS_FILE);
    expect(await readImageRefs(file)).toBeNull();
    const written = await writeImageRefs(results, file);
    expect(await readImageRefs(file)).toEqual(written);
  });

  it('refuses a broken file naming it, with how to write it again', async () => {
    const root = await makeTree({ '.qed/images.json': '{ "q/a:latest": ' });
    const error = await readImageRefs(path.join(root, '.qed/images.json')).catch((e: unknown) => e);
    expect(isQedError(error) && error.code).toBe('IMAGE_REFS_INVALID');
    expect((error as Error).message).toContain('images.json is not valid JSON');
  });
});
