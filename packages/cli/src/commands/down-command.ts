import { rm } from 'node:fs/promises';
import { detectPlatform, QedError, requireConsent } from '@qed/core';
import { Discovery } from '@qed/kube';
import { describeTeardown, planTeardown, purgedDataFolders, runTeardown } from '@qed/manifests';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, connect, resolveNamespace } from '../cluster-options.js';
import { confirm } from '../confirm.js';

interface DownOptions extends GlobalOptions, ClusterOptions {
  purge?: boolean;
  dryRun?: boolean;
}

/** `qed-bootstrap down`: removes what was applied; data (claims, volumes) only with --purge, after consent. */
export async function run(ctx: CliContext, options: DownOptions): Promise<number> {
  const { output } = ctx;
  const namespace = await resolveNamespace(ctx, options);
  const { api } = await connect(options);
  const discovery = new Discovery(api);
  const plan = await planTeardown(api, discovery, namespace, { purge: options.purge === true });
  const { remove, keep } = describeTeardown(plan);
  const { dataRoot } = (await ctx.loadConfig()).config;
  const folders = options.purge ? purgedDataFolders(plan, dataRoot, (await detectPlatform(undefined, dataRoot)).os) : [];
  if (options.dryRun) {
    if (output.mode.json) output.json({ dryRun: true, remove, keep, removeFolders: folders });
    else
      output.result(
        `Would remove ${remove.length} objects:\n  ${remove.join('\n  ') || '(none)'}${folders.length ? `\nand the data folders:\n  ${folders.join('\n  ')}` : ''}${keep.length ? `\nWould keep (data):\n  ${keep.join('\n  ')}` : ''}`,
      );
    return 0;
  }
  if (options.purge && remove.length > 0) {
    output.info(`--purge removes the data too:\n  ${[...remove, ...folders.map((f) => `folder ${f}`)].join('\n  ')}`);
    requireConsent(await confirm(ctx, `Delete these ${remove.length} objects, volume data included?`, options), {
      action: `Deleting ${remove.length} objects with their persistent data (--purge)`,
      flag: '--purge',
      data: { remove, removeFolders: folders },
    });
  }
  await runTeardown(api, discovery, plan);
  // After the volumes are gone, so no pod still writes there.
  for (const folder of folders) {
    await rm(folder, { recursive: true, force: true }).catch((error: NodeJS.ErrnoException) => {
      // The files belong to the containers' users (postgres, redis …): a normal user may not delete them.
      throw new QedError('PURGE_FOLDER_FAILED', `the volumes are removed, but ${folder} could not be deleted: ${error.code ?? error.message}`, {
        hint: `Delete it by hand (\`sudo rm -rf ${folder}\`); the cluster no longer uses it.`,
        cause: error,
      });
    });
  }
  if (output.mode.json) output.json({ removed: remove, kept: keep, removedFolders: folders });
  else {
    output.result(`Removed ${remove.length} objects from namespace ${namespace}${folders.length ? ` and ${folders.length} data folders under ${dataRoot}` : ''}.`);
    if (keep.length > 0) output.result(`Kept (data; remove with --purge): ${keep.join(', ')}`);
  }
  return 0;
}
