import path from 'node:path';
import { defaultQedConfig, type ImageConfig, isQedError, type QedConfig } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { computeContentTag } from './content-tag.js';
import { fakeRegistry, makeTree } from './__fixtures__/test-helpers.js';
import { planImages, sourceTag } from './plan-images.js';

const REGISTRY = '127.0.0.1:5000';

function config(images: ImageConfig[]): QedConfig {
  return { ...defaultQedConfig('/home/u'), registry: { host: REGISTRY, name: 'registry' }, images };
}

async function builtContext() {
  const context = await makeTree({ Dockerfile: 'FROM scratch\nCOPY a.txt /\n', 'a.txt': 'a\n' });
  const { tag } = await computeContentTag({ context, dockerfile: path.join(context, 'Dockerfile') });
  return { context, tag };
}

describe('planImages', () => {
  it('plans build, skip, keep-remote and missing-context, in config order', async () => {
    const fresh = await builtContext();
    const pushed = await builtContext();
    const http = fakeRegistry({ [`pushed:${pushed.tag}`]: 'sha256:abc' });
    const plan = await planImages(
      config([
        { name: 'fresh', source: 'quanted/fresh:latest', context: fresh.context, args: { V: '1' }, target: 'prod' },
        { name: 'pushed', source: 'quanted/pushed:latest', context: pushed.context },
        { name: 'remote', source: 'quanted/remote:latest' },
        { name: 'gone', source: 'quanted/gone:latest', context: '/nonexistent/qed-images-gone' },
      ]),
      { http },
    );
    expect(plan.registry).toBe(REGISTRY);
    expect(plan.images.map((i) => [i.name, i.action])).toEqual([
      ['fresh', 'build'],
      ['pushed', 'skip'],
      ['remote', 'keep-remote'],
      ['gone', 'missing-context'],
    ]);
    const [build, skip] = plan.images;
    expect(build).toMatchObject({ context: fresh.context, dockerfile: undefined, args: { V: '1' }, target: 'prod' });
    expect(build && 'ref' in build && build.ref).toMatch(/^127\.0\.0\.1:5000\/fresh:c-[0-9a-f]{20}$/);
    // Args and target are part of the tag: same files, different tag than the bare context.
    expect(build && 'tag' in build && build.tag).not.toBe(fresh.tag);
    expect(skip).toMatchObject({ ref: `${REGISTRY}/pushed:${pushed.tag}`, digest: 'sha256:abc' });
    expect(plan.images[3]?.reason).toContain('/nonexistent/qed-images-gone');
    // Only images with a context cost a registry round trip.
    expect(http.requests).toHaveLength(2);
  });

  it('asks the registry with HEAD on the manifest URL', async () => {
    const { context, tag } = await builtContext();
    const http = fakeRegistry();
    await planImages(config([{ name: 'a', source: 'x/a', context }]), { http });
    expect(http.requests).toEqual([`HEAD http://${REGISTRY}/v2/a/manifests/${tag}`]);
  });

  it('plans mirror for images without context only when asked', async () => {
    const plan = await planImages(config([{ name: 'postgis', source: 'mdillon/postgis:11' }]), { http: fakeRegistry() }, { mirror: true });
    expect(plan.images[0]).toMatchObject({ action: 'mirror', ref: `${REGISTRY}/postgis:11` });
  });

  it('filters with --only and rejects unknown names', async () => {
    const images = [
      { name: 'a', source: 'x/a' },
      { name: 'b', source: 'x/b' },
    ];
    const plan = await planImages(config(images), { http: fakeRegistry() }, { only: ['b'] });
    expect(plan.images.map((i) => i.name)).toEqual(['b']);
    const error = await planImages(config(images), { http: fakeRegistry() }, { only: ['c'] }).catch((e: unknown) => e);
    expect(isQedError(error, 'UNKNOWN_IMAGE')).toBe(true);
  });

  it('fails with REGISTRY_UNREACHABLE and the registry up hint when the registry does not answer', async () => {
    const { context } = await builtContext();
    const http = { request: async () => Promise.reject(new TypeError('fetch failed')) };
    const error = await planImages(config([{ name: 'a', source: 'x/a', context }]), { http }).catch((e: unknown) => e);
    expect(isQedError(error, 'REGISTRY_UNREACHABLE')).toBe(true);
    expect((error as { hint: string }).hint).toContain('qed-bootstrap registry up');
  });

  it('names a missing Dockerfile', async () => {
    const context = await makeTree({ 'a.txt': 'a' });
    const error = await planImages(config([{ name: 'a', source: 'x/a', context }]), { http: fakeRegistry() }).catch((e: unknown) => e);
    expect(isQedError(error, 'DOCKERFILE_MISSING')).toBe(true);
  });
});

describe('sourceTag', () => {
  it.each([
    ['quanted/qed-django:latest', 'latest'],
    ['mdillon/postgis', 'latest'],
    ['localhost:5000/a/b:1.2', '1.2'],
    ['localhost:5000/a/b', 'latest'],
    ['redis:7@sha256:abc', '7'],
  ])('%s -> %s', (source, tag) => {
    expect(sourceTag(source)).toBe(tag);
  });
});
