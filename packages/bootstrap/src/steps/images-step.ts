import { QedError } from '@qed/core';
import { applyImages, type ImagePlan, type ImageResult, type ImageStatus, planImages, plannedImageRefs, writeImageRefs } from '@qed/images';
import type { BootstrapStep } from '../pipeline-types.js';

const STATUS_WORDS: Record<ImageStatus, string> = {
  built: 'built and pushed',
  skipped: 'unchanged',
  mirrored: 'mirrored',
  'kept-remote': 'remote (kept as is)',
  'missing-context': 'missing context (remote kept)',
  failed: 'failed',
};

/** `images push`: content-tagged builds of what changed, pushed to the local registry; the refs go to .qed/images.json and, in memory, to the manifests step. */
export const imagesStep: BootstrapStep<ImagePlan> = {
  id: 'images',
  title: 'Images',
  async plan(ctx) {
    const plan = await planImages(ctx.input.config);
    ctx.handoff.imageRefs = plannedImageRefs(plan);
    return plan;
  },
  describe(plan, ctx) {
    const builds = plan.images.filter((i) => i.action === 'build' || i.action === 'mirror').length;
    return {
      summary: `${builds} to build and push into ${plan.registry}, ${plan.images.length - builds} with nothing to build; refs into ${ctx.paths.imagesFile}`,
      lines: plan.images.map((image) => `${image.action} ${image.name}${'ref' in image ? ` -> ${image.ref}` : ` (${image.source})`}: ${image.reason}`),
    };
  },
  async apply(ctx, plan) {
    const results = await applyImages(plan, { runner: ctx.deps.runner, env: ctx.deps.env }, {
      onEvent: (event) => {
        if (event.type === 'step') ctx.progress(`${event.name}: ${event.command}`);
        if (event.type === 'done') ctx.progress(`${event.result.name}: ${STATUS_WORDS[event.result.status]}`);
      },
    });
    ctx.handoff.imageRefs = await writeImageRefs(results, ctx.paths.imagesFile);
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length > 0) throw imagesFailed(failed);
    return { detail: countImages(results) };
  },
};

export function countImages(results: readonly ImageResult[]): string {
  const counts = new Map<ImageStatus, string[]>();
  for (const r of results) counts.set(r.status, [...(counts.get(r.status) ?? []), r.name]);
  return [...counts].map(([status, names]) => `${names.length} ${STATUS_WORDS[status]}${status === 'kept-remote' || status === 'missing-context' ? ` (${names.join(', ')})` : ''}`).join(', ') || 'no images configured';
}

function imagesFailed(failed: readonly ImageResult[]): QedError {
  return new QedError(
    'IMAGES_FAILED',
    `${failed.length} image${failed.length === 1 ? '' : 's'} failed: ${failed.map((r) => `${r.name}: ${r.error?.message ?? 'failed'}${r.logTail ? `\n    ${r.logTail.split('\n').slice(-5).join('\n    ')}` : ''}`).join('\n  ')}`,
    {
      hint: `${failed.map((r) => (r.command ? `Reproduce with \`${r.command}\`.` : (r.error?.hint ?? ''))).join(' ')} Fix it, then run \`npx qed-bootstrap\` again: it resumes at the images.`,
      data: { images: failed.map((r) => r.name) },
    },
  );
}
