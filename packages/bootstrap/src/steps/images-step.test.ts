import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_IMAGES } from '@qed/core';
import { afterEach, describe, expect, it } from 'vitest';
import { answeringRegistryApi, planView, runStep, stepWorld } from '../__fixtures__/step-world.js';
import { countImages, imagesStep } from './images-step.js';
import { manifestsStep } from './manifests-step.js';

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of servers.splice(0)) await close();
});

/** A build context with a Dockerfile, and a registry answering /v2/ that has no manifest yet (404). */
async function oneImageToBuild() {
  const registry = await answeringRegistryApi();
  servers.push(registry.close);
  const world = await stepWorld({ target: { kind: 'context', context: 'kind-kind' }, registryHost: registry.host });
  const context = path.join(world.cwd, 'django');
  await mkdir(context);
  await writeFile(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /\n');
  await writeFile(path.join(context, 'app.txt'), 'hello\n');
  world.ctx.input.config.images = [{ name: 'qed-django', source: 'quanted/qed-django:latest', context }];
  return { ...world, registry: registry.host, context };
}

describe('images step', () => {
  it('with the default config (no build contexts) plans nothing to build and keeps every remote image', async () => {
    const { ctx, runner } = await stepWorld({ registryHost: '127.0.0.1:5000' });
    const plan = await planView(imagesStep, ctx);
    expect(plan.summary).toBe(`0 to build and push into 127.0.0.1:5000, ${DEFAULT_IMAGES.length} with nothing to build; refs into ${ctx.paths.imagesFile}`);
    expect(plan.lines[0]).toBe('keep-remote qed-nginx (quanted/qed_nginx:latest): no build context configured: quanted/qed_nginx:latest is used as is');
    expect(await runStep(imagesStep, ctx)).toEqual({ detail: `${DEFAULT_IMAGES.length} remote (kept as is) (${DEFAULT_IMAGES.map((i) => i.name).join(', ')})` });
    // Each source maps to itself: the manifests use the remote images as configured.
    expect(JSON.parse(await readFile(ctx.paths.imagesFile, 'utf8'))).toEqual(Object.fromEntries(DEFAULT_IMAGES.map((i) => [i.source, i.source])));
    expect(runner.calls).toEqual([]);
  });

  it('a configured context that does not exist keeps the remote image and says so', async () => {
    const { ctx } = await stepWorld({ registryHost: '127.0.0.1:5000' });
    const missing = path.join(ctx.deps.cwd, 'no-such-context');
    ctx.input.config.images = [{ name: 'qed-django', source: 'quanted/qed-django:latest', context: missing }];
    expect((await planView(imagesStep, ctx)).lines).toEqual([
      `missing-context qed-django (quanted/qed-django:latest): build context ${missing} does not exist: quanted/qed-django:latest is used instead`,
    ]);
    expect((await runStep(imagesStep, ctx)).detail).toBe('1 missing context (remote kept) (qed-django)');
  });

  it('builds and pushes a changed image under its content tag, and writes its ref for the manifests', async () => {
    const { ctx, runner, registry, context } = await oneImageToBuild();
    const plan = await planView(imagesStep, ctx);
    expect(plan.summary).toBe(`1 to build and push into ${registry}, 0 with nothing to build; refs into ${ctx.paths.imagesFile}`);
    const ref = /-> (\S+):/.exec(plan.lines[0] ?? '')?.[1] ?? '';
    expect(ref).toMatch(new RegExp(`^${registry.replaceAll('.', '\\.')}/qed-django:\\S+$`));
    runner
      .on('docker', ['build', '-t', ref, context], { stdout: '#1 DONE 0.0s\n', stderr: '' })
      .on('docker', ['push', ref], {
        stdout: `The push refers to repository [${registry}/qed-django]\n5f70bf18a086: Pushed\n${ref.split(':').pop()}: digest: sha256:${'ab'.repeat(32)} size: 528\n`,
      });
    const progress: string[] = [];
    ctx.progress = (line) => progress.push(line);
    expect(await runStep(imagesStep, ctx)).toEqual({ detail: '1 built and pushed' });
    expect(runner.commandLines).toEqual([`docker build -t ${ref} ${context}`, `docker push ${ref}`]);
    expect(progress).toEqual([`qed-django: docker build -t ${ref} ${context}`, `qed-django: docker push ${ref}`, 'qed-django: built and pushed']);
    expect(JSON.parse(await readFile(ctx.paths.imagesFile, 'utf8'))).toEqual({ 'quanted/qed-django:latest': ref });
  });

  it('hands its refs to the manifests step in memory: the plan the refs it would push, the apply those it pushed; the file is for a later run', async () => {
    const { ctx, runner, registry, context } = await oneImageToBuild();
    const plan = await imagesStep.plan(ctx);
    const ref = plan.images[0] && 'ref' in plan.images[0] ? plan.images[0].ref : '';
    expect(ctx.handoff.imageRefs).toEqual({ 'quanted/qed-django:latest': ref });
    runner.on('docker', ['build', '-t', ref, context], { stdout: '' }).on('docker', ['push', ref], { stdout: `${ref.split(':').pop()}: digest: sha256:${'cd'.repeat(32)} size: 528\n` });
    ctx.handoff.imageRefs = {};
    await imagesStep.apply(ctx, plan);
    expect(ctx.handoff.imageRefs).toEqual({ 'quanted/qed-django:latest': ref });
    // Whatever the file says now, this run renders with what the images step handed over.
    await writeFile(ctx.paths.imagesFile, JSON.stringify({ 'quanted/qed-django:latest': `${registry}/qed-django:from-the-file` }));
    const images = (await planView(manifestsStep, ctx)).lines.filter((l) => l.includes('/qed-django:'));
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((l) => l.includes(ref) && !l.includes('from-the-file'))).toBe(true);
  });

  it('a failed build fails the step with IMAGES_FAILED: the log\'s tail and the command to reproduce it', async () => {
    const { ctx, runner } = await oneImageToBuild();
    runner.on('docker', undefined, { exitCode: 1, stderr: 'ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory\n' });
    const error = await runStep(imagesStep, ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMAGES_FAILED', data: { images: ['qed-django'] } });
    expect((error as Error).message).toMatch(/^1 image failed: qed-django: .*\n {4}ERROR: failed to solve/);
    expect((error as { hint: string }).hint).toMatch(/^Reproduce with `docker build -t .+`\. Fix it, then run `npx qed-bootstrap` again: it resumes at the images\.$/);
  });

  it('a registry that does not answer stops the plan with REGISTRY_UNREACHABLE and how to start it', async () => {
    const { ctx } = await oneImageToBuild();
    await servers.splice(0)[0]?.();
    await expect(planView(imagesStep, ctx)).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE', hint: expect.stringContaining('qed-bootstrap registry up') });
  });
});

describe('countImages', () => {
  it('counts each status, naming the images that stay remote', () => {
    const base = { source: 's', action: 'build' as const, reason: 'r', durationMs: 0 };
    expect(countImages([])).toBe('no images configured');
    expect(
      countImages([
        { ...base, name: 'a', status: 'built' },
        { ...base, name: 'b', status: 'built' },
        { ...base, name: 'c', status: 'skipped' },
        { ...base, name: 'd', status: 'kept-remote' },
      ]),
    ).toBe('2 built and pushed, 1 unchanged, 1 remote (kept as is) (d)');
  });
});
