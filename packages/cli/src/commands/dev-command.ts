import { type ImageConfig, projectPaths, QedError, refAsNodePulls } from '@qed/core';
import { type DevEvent, type DevImage, findImageUses, imageRepository, imageUseOf, type LiveWorkload, resolveWorkloads, runDevLoop, type ServiceForwards, startServiceForwards, streamServiceLogs, watchContext } from '@qed/dev';
import { applyImage, contextFileFilter, planImages, updateImageRef } from '@qed/images';
import { copyIntoContainer, Discovery } from '@qed/kube';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, connect, resolveNamespace } from '../cluster-options.js';
import { openBackend } from '../open-backend.js';
import { untilInterrupted } from '../until-interrupted.js';
import { forwardNotice, printForwards } from './forward-command.js';
import { logPrinter } from './logs-command.js';

interface DevOptions extends GlobalOptions, ClusterOptions {
  only?: string;
  rolloutTimeout?: string;
  /** --no-forward: no port-forwards for the namespace's Services. */
  forward?: boolean;
  /** --no-logs: the watched images' containers' output is not shown. */
  logs?: boolean;
}

/**
 * `qed-bootstrap dev`: the edit -> running loop over what the bootstrap deployed.
 * Watches the build context of every configured image that has one; each save
 * either syncs files into the running containers or rebuilds that image alone and
 * rolls out only the workloads that run it (see @qed/dev). One line per cycle, or
 * one JSON object per event with --json. Ctrl-C stops watching and leaves the
 * cluster as it is (exit 0).
 */
export async function run(ctx: CliContext, options: DevOptions): Promise<number> {
  const { config } = await ctx.loadConfig();
  const images = watchedImages(config.images, options.only);
  const namespace = await resolveNamespace(ctx, options);
  const connection = await connect(options);
  const { api, context } = connection;
  const backend = await openBackend(ctx, { kind: 'context', context }, { connection });
  const registryHost = config.registry.host;
  const hosting = await backend.registryHosting(registryHost);
  const nodeHost = hosting.hosting?.hostFromContainerRuntime ?? registryHost;
  const refsFile = projectPaths(ctx).imagesFile;
  const rolloutTimeoutMs = options.rolloutTimeout ? parseSeconds(options.rolloutTimeout) * 1000 : undefined;

  const devImages: DevImage[] = images.map((image) => ({
    config: image,
    repositories: new Set([`${registryHost}/${image.name}`, `${nodeHost}/${image.name}`, imageRepository(image.source)]),
  }));

  const interrupt = untilInterrupted();
  const forwards = options.forward === false ? undefined : await startForwards(ctx, api, namespace, interrupt.signal);
  const logs = options.logs === false ? undefined : await startLogs(ctx, api, namespace, devImages, interrupt.signal);
  try {
    await runDevLoop(
      devImages,
      {
        api,
        discovery: new Discovery(api),
        namespace,
        ...(rolloutTimeoutMs ? { rolloutTimeoutMs } : {}),
        now: () => performance.now(),
        build: async (image) => {
          const plan = await planImages({ ...config, images: [image] });
          const planned = plan.images[0];
          if (!planned) throw new QedError('INTERNAL', `no plan for image ${image.name}`);
          const result = await applyImage(planned, plan.registry, { runner: ctx.runner, env: ctx.env });
          if (result.status === 'failed' || !result.ref) {
            throw new QedError('IMAGES_FAILED', `${image.name}: ${result.error?.message ?? 'the build failed'}${result.logTail ? `\n    ${result.logTail.split('\n').slice(-8).join('\n    ')}` : ''}`, {
              hint: `${result.command ? `Reproduce with \`${result.command}\`. ` : ''}The pods that were running keep running; save a fix and dev builds again.`,
              data: { image: image.name, ...(result.logTail ? { logTail: result.logTail } : {}) },
            });
          }
          return { ref: result.ref, nodeRef: refAsNodePulls(result.ref, registryHost, nodeHost), status: result.status === 'built' ? 'built' : 'unchanged' };
        },
        copyIntoContainer: (target, files) => copyIntoContainer(api, target, files),
        saveRef: async (source, ref) => {
          await updateImageRef(refsFile, source, ref);
        },
        watch: async (image, onBatch) => {
          const include = await contextFileFilter(image.config.context);
          return watchContext(image.config.context, {
            include,
            onBatch,
            onError: (error) => ctx.output.warn(`watching ${image.config.context}: ${error.message}`),
          });
        },
        emit: (event) => report(ctx, event),
      },
      interrupt.signal,
    );
  } finally {
    interrupt.dispose();
    await forwards?.close();
    await logs;
  }
  if (!ctx.output.mode.json) ctx.output.result('Stopped watching; the cluster is left as it is.');
  return 0;
}

/**
 * Port-forwards for the namespace's Services, their URLs printed (nginx first).
 * A failure to forward is said and dev carries on: the loop does not need them.
 */
async function startForwards(ctx: CliContext, api: Parameters<typeof startServiceForwards>[0], namespace: string, signal: AbortSignal): Promise<ServiceForwards | undefined> {
  try {
    const started = await startServiceForwards(api, {
      namespace,
      services: [],
      signal,
      onNotice: forwardNotice(ctx),
    });
    printForwards(ctx, started.forwards, namespace);
    return started;
  } catch (error) {
    ctx.output.warn(`no port-forwards: ${(error as Error).message} (--no-forward leaves them out)`);
    return undefined;
  }
}

/** The images with a build context, or those --only names; an image without one cannot be watched, and is said so. */
function watchedImages(images: readonly ImageConfig[], only: string | undefined): Array<ImageConfig & { context: string }> {
  const names = only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = (names ?? []).filter((name) => !images.some((i) => i.name === name));
  if (unknown.length > 0) {
    throw new QedError('USAGE', `--only names no configured image: ${unknown.join(', ')}`, {
      hint: `The images in qed.config.yaml: ${images.map((i) => i.name).join(', ') || 'none'}.`,
    });
  }
  const chosen = images.filter((i) => !names || names.includes(i.name));
  const watched = chosen.filter((i): i is ImageConfig & { context: string } => i.context !== undefined);
  if (watched.length === 0) {
    throw new QedError('DEV_NOTHING_TO_WATCH', `no ${names ? 'chosen ' : ''}image has a build context: there is nothing to rebuild or sync`, {
      hint: 'Set images[].context in qed.config.yaml to the folder with the Dockerfile (`qed-bootstrap init` finds them in a QED checkout).',
    });
  }
  return watched;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new QedError('USAGE', `--rollout-timeout must be a number of seconds, got ${JSON.stringify(value)}`, { hint: 'For example --rollout-timeout 180.' });
  }
  return seconds;
}

/** One line per event a person reads; one JSON object per event with --json. */
function report(ctx: CliContext, event: DevEvent): void {
  const { output } = ctx;
  if (output.mode.json) {
    output.jsonLine(event);
    return;
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  switch (event.type) {
    case 'watching':
      output.result(`Watching ${event.images.map((i) => `${i.name} (${i.context}${i.syncRules ? `, ${i.syncRules} sync rule${i.syncRules === 1 ? '' : 's'}` : ''})`).join(', ')}. Save a file to rebuild or sync; Ctrl-C stops.`);
      return;
    case 'change':
      output.info(`${event.image}: ${event.files.length} file${event.files.length === 1 ? '' : 's'} saved (${event.files.slice(0, 3).join(', ')}${event.files.length > 3 ? ', …' : ''}): ${event.action}${event.reason ? ` (${event.reason})` : ''}`);
      return;
    case 'cycle': {
      const head = `${event.image}: ${event.action === 'sync' ? 'synced' : 'rebuilt'}`;
      if (event.status === 'failed') {
        output.error(`${event.image}: ${event.action} failed after ${seconds(event.ms)}: ${event.detail}`);
        if (event.hint) output.result(`  fix: ${event.hint}`);
        return;
      }
      const phases = event.phases ? ` (build and push ${seconds(event.phases.buildMs)}, rollout ${seconds(event.phases.rolloutMs)})` : '';
      output.result(event.status === 'ready' ? `${head}, Ready ${seconds(event.ms)} after the save${phases}: ${event.detail}` : `${head} in ${seconds(event.ms)}: ${event.detail}`);
      return;
    }
  }
}

/**
 * The output of the containers that run the watched images, as `logs -f` shows it,
 * from now on and across each rollout dev makes. Runs until `signal`; a failure
 * to stream is said and dev carries on.
 */
async function startLogs(ctx: CliContext, api: Parameters<typeof streamServiceLogs>[0], namespace: string, images: readonly DevImage[], signal: AbortSignal): Promise<void> {
  try {
    const repositories = new Set(images.flatMap((image) => [...image.repositories]));
    const names = [...new Set((await findImageUses(api, namespace, repositories)).map((use) => use.name))];
    const workloads = names.length === 0 ? [] : await resolveWorkloads(api, namespace, names);
    // A workload deployed while dev runs is followed too when it runs one of dev's images.
    const takeUp = (live: LiveWorkload) => imageUseOf(live, repositories) !== undefined;
    void streamServiceLogs(api, { namespace, workloads, follow: true, tailLines: 0, signal, takeUp, onLine: logPrinter(ctx, workloads), onWarning: (message) => ctx.output.warn(message) }).catch(
      (error: Error) => ctx.output.warn(`the containers' logs stopped: ${error.message}`),
    );
  } catch (error) {
    ctx.output.warn(`no logs: ${(error as Error).message} (--no-logs leaves them out)`);
  }
}
