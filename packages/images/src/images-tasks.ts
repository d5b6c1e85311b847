import { Listr, type ListrTask } from 'listr2';
import { type ApplyImagesDeps, applyImage, DEFAULT_CONCURRENCY, type ImageResult } from './apply-images.js';
import type { ImagePlan, PlannedImage } from './plan-images.js';

/** Which listr2 renderer: the CLI picks by TTY (default), CI (simple), --json (silent); tests use 'test'. */
export type ImagesRenderer = 'default' | 'simple' | 'silent' | 'test';

export interface ImagesTasksOptions {
  renderer?: ImagesRenderer;
  /** How many images build at once. Default 2. */
  concurrency?: number;
}

export interface ImagesTasksContext {
  /** In plan order, filled as tasks finish. */
  results: ImageResult[];
}

/**
 * The plan as a listr2 task list: one task per image, titled by its action. Images with
 * nothing to do are skipped tasks that say why. A failed image fails its task only; the
 * others run on (exitOnError: false), and every result lands in the context.
 */
export function imagesTasks(plan: ImagePlan, deps: ApplyImagesDeps, options: ImagesTasksOptions = {}): Listr<ImagesTasksContext, ImagesRenderer, 'simple'> {
  const tasks: ListrTask<ImagesTasksContext>[] = plan.images.map((image, index) => ({
    title: taskTitle(image),
    // Skipped images still record a result, so the refs file covers every configured image.
    skip: (ctx) => {
      if (image.action === 'build' || image.action === 'mirror') return false;
      ctx.results[index] = { name: image.name, source: image.source, action: image.action, status: skippedStatus(image), ...('ref' in image ? { ref: image.ref } : {}), ...(image.action === 'skip' && image.digest ? { digest: image.digest } : {}), reason: image.reason, durationMs: 0 };
      return `${image.name}: ${image.reason}`;
    },
    task: async (ctx, task) => {
      const result = await applyImage(image, plan.registry, deps, (event) => {
        if (event.type === 'step') task.output = event.command;
        if (event.type === 'output') {
          const line = event.chunk.trimEnd().split('\n').pop();
          if (line) task.output = line;
        }
      });
      ctx.results[index] = result;
      if (result.status === 'failed') {
        const error = result.error ?? new Error(`${image.name} failed`);
        throw new Error(`${error.message}\n  rerun: ${result.command ?? ''}\n${indent(result.logTail ?? '')}`, { cause: error });
      }
      task.title = `${taskTitle(image)}${result.digest ? ` (${result.digest.slice(0, 19)})` : ''}`;
    },
  }));
  return new Listr<ImagesTasksContext, ImagesRenderer, 'simple'>(tasks, {
    concurrent: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY),
    exitOnError: false,
    // The CLI prints every failure (with its rerun command) after the list, not only the first.
    collectErrors: true,
    ctx: { results: [] },
    renderer: options.renderer ?? 'default',
    fallbackRenderer: 'simple',
    rendererOptions: { collapseErrors: false },
  } as ConstructorParameters<typeof Listr<ImagesTasksContext, ImagesRenderer, 'simple'>>[1]);
}

function taskTitle(image: PlannedImage): string {
  switch (image.action) {
    case 'build':
      return `build ${image.name} -> ${image.ref}`;
    case 'mirror':
      return `mirror ${image.source} -> ${image.ref}`;
    case 'skip':
      return `skip ${image.name} (unchanged)`;
    case 'keep-remote':
      return `keep-remote ${image.name} (${image.source})`;
    case 'missing-context':
      return `missing-context ${image.name}`;
  }
}

function skippedStatus(image: PlannedImage): ImageResult['status'] {
  return image.action === 'skip' ? 'skipped' : image.action === 'keep-remote' ? 'kept-remote' : 'missing-context';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
