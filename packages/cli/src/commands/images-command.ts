import { projectPaths } from '@qed/core';
import { applyImages, type ImageResult, imagesTasks, planImages, writeImageRefs } from '@qed/images';
import type { CliContext, GlobalOptions } from '../cli-context.js';

interface ImagesOptions extends GlobalOptions {
  only?: string;
  mirror?: boolean;
}

/**
 * `qed-bootstrap images build|push`: both build what changed and push it to the
 * local registry (an image only built locally would not reach the cluster).
 * Progress per image with listr2 on a terminal; one line per image otherwise.
 */
export async function run(ctx: CliContext, options: ImagesOptions): Promise<number> {
  const { output } = ctx;
  const { config } = await ctx.loadConfig();
  const only = options.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const plan = await planImages(config, {}, { ...(only ? { only } : {}), mirror: options.mirror === true });
  const deps = { runner: ctx.runner, env: ctx.env };
  let results: ImageResult[];
  if (output.mode.json || output.mode.quiet) {
    results = await applyImages(plan, deps);
  } else {
    const renderer = output.mode.color && !output.mode.ci ? 'default' : 'simple';
    const tasks = imagesTasks(plan, deps, { renderer });
    results = (await tasks.run({ results: [] })).results;
  }
  const refsFile = projectPaths(ctx).imagesFile;
  await writeImageRefs(results, refsFile);
  const failed = results.filter((r) => r.status === 'failed');
  if (output.mode.json) output.json({ ok: failed.length === 0, refsFile, results: results.map(({ error, ...r }) => ({ ...r, ...(error ? { error: error.toJSON() } : {}) })) });
  else {
    for (const r of failed) {
      output.error(`${r.name}: ${r.error?.message ?? 'failed'}`);
      if (r.command) output.result(`  reproduce: ${r.command}`);
      if (r.logTail) output.result(`  ${r.logTail.split('\n').join('\n  ')}`);
    }
    const by = (s: string) => results.filter((r) => r.status === s).length;
    output.result(`${by('built')} built and pushed, ${by('skipped')} unchanged, ${by('mirrored')} mirrored, ${by('kept-remote')} remote, ${by('missing-context')} missing context, ${failed.length} failed; refs in ${refsFile}`);
  }
  return failed.length === 0 ? 0 : 1;
}
