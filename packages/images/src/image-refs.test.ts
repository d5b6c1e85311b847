import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQedError, PROJECT_FILES, QED_GITIGNORE, type QedError } from '@qed/core';
import { makeTree } from './__fixtures__/test-helpers.js';
import type { ImageResult } from './apply-images.js';
import { imageRefs, plannedImageRefs, readImageRefs, writeImageRefs } from './image-refs.js';
import type { ImagePlan } from './plan-images.js';

const results: ImageResult[] = [
  { name: 'b', source: 'q/b:latest', action: 'build', status: 'built', ref: 'r:5000/b:c-1', durationMs: 1 },
  { name: 'a', source: 'q/a:latest', action: 'skip', status: 'skipped', ref: 'r:5000/a:c-2', durationMs: 0 },
  { name: 'm', source: 'p/m:11', action: 'mirror', status: 'mirrored', ref: 'r:5000/m:11', durationMs: 1 },
  { name: 'k', source: 'q/k:latest', action: 'keep-remote', status: 'kept-remote', durationMs: 0 },
  { name: 'g', source: 'q/g:latest', action: 'missing-context', status: 'missing-context', durationMs: 0 },
  { name: 'f', source: 'q/f:latest', action: 'build', status: 'failed', ref: 'r:5000/f:c-3', durationMs: 1 },
];

describe('writeImageRefs', () => {
  it('maps each source to the ref to deploy, keys sorted, atomically, leaving failed images out; .qed gets its .gitignore', async () => {
    const root = await makeTree({});
    const file = path.join(root, PROJECT_FILES.imagesFile);
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
    expect((await readdir(path.dirname(file))).sort()).toEqual(['.gitignore', 'images.json']);
    expect(await readFile(path.join(root, '.qed', '.gitignore'), 'utf8')).toBe(QED_GITIGNORE);
  });
});

describe('readImageRefs', () => {
  it('reads back what writeImageRefs wrote, and null when the images step has not run', async () => {
    const root = await makeTree({});
    const file = path.join(root, PROJECT_FILES.imagesFile);
    expect(await readImageRefs(file)).toBeNull();
    const written = await writeImageRefs(results, file);
    expect(await readImageRefs(file)).toEqual(written);
  });

  it('refuses a file that is not JSON: names it, the line and column, how to write it again and what that costs', async () => {
    const root = await makeTree({ '.qed/images.json': '{\n  "q/a:latest": "r:5000/a:c-2",\n  "q/b:latest": \n' });
    const file = path.join(root, '.qed/images.json');
    const error = await readImageRefs(file).catch((e: unknown) => e);
    expect(isQedError(error, 'IMAGE_REFS_INVALID'), String(error)).toBe(true);
    const { message, hint } = error as QedError;
    expect(message).toMatch(/images\.json is not JSON: .+ at line 4, column 1$/);
    expect(message.startsWith(file)).toBe(true);
    expect(hint).toContain(`rm ${file}`);
    expect(hint).toContain('npx qed-bootstrap --from images');
    expect(hint).toMatch(/already in the registry .* not built again/);
  });

  it.each([
    ['an array', '["r:5000/a:c-2"]', 'is not a map of image refs: an array where an object was expected'],
    ['null', 'null', 'is not a map of image refs: null where an object was expected'],
    ['a number as a ref', '{ "q/a:latest": 5 }', 'is not a map of image refs: "q/a:latest" is a number (an image ref was expected)'],
    ['an empty ref', '{ "q/a:latest": "" }', 'is not a map of image refs: "q/a:latest" is an empty string (an image ref was expected)'],
  ])('refuses a file of the wrong shape (%s), saying what is wrong', async (_name, content, problem) => {
    const root = await makeTree({ '.qed/images.json': content });
    const file = path.join(root, '.qed/images.json');
    const error = await readImageRefs(file).catch((e: unknown) => e);
    expect(isQedError(error, 'IMAGE_REFS_INVALID'), String(error)).toBe(true);
    expect((error as QedError).message).toBe(`${file} ${problem}`);
    expect((error as QedError).hint).toContain(`rm ${file}`);
  });
});

describe('plannedImageRefs', () => {
  it('the refs a plan will hand over when every image succeeds: local refs for build, skip and mirror; the source otherwise', () => {
    const plan: ImagePlan = {
      registry: 'r:5000',
      images: [
        { name: 'b', source: 'q/b:latest', action: 'build', ref: 'r:5000/b:c-1', tag: 'c-1', context: '/b', dockerfile: undefined, args: {}, target: undefined, reason: 'changed' },
        { name: 'a', source: 'q/a:latest', action: 'skip', ref: 'r:5000/a:c-2', tag: 'c-2', digest: undefined, reason: 'in the registry' },
        { name: 'm', source: 'p/m:11', action: 'mirror', ref: 'r:5000/m:11', reason: 'mirror' },
        { name: 'k', source: 'q/k:latest', action: 'keep-remote', reason: 'no context' },
        { name: 'g', source: 'q/g:latest', action: 'missing-context', context: '/g', reason: 'missing' },
      ],
    };
    const refs = plannedImageRefs(plan);
    expect(refs).toEqual({ 'p/m:11': 'r:5000/m:11', 'q/a:latest': 'r:5000/a:c-2', 'q/b:latest': 'r:5000/b:c-1', 'q/g:latest': 'q/g:latest', 'q/k:latest': 'q/k:latest' });
    // What the apply hands over for the same images, all succeeded, is the same map.
    expect(imageRefs(results.filter((r) => r.status !== 'failed'))).toEqual(refs);
  });
});
