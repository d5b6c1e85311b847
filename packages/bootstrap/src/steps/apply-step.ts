import { access } from 'node:fs/promises';
import { QedError } from '@qed/core';
import { probeCluster } from '@qed/kube';
import { type AppliedObject, loadManifests, runApply, type SourcedObject } from '@qed/manifests';
import type { BootstrapStep, StepContext } from '../pipeline-types.js';
import { previewObjects } from './manifests-step.js';

/** Server-side apply of .qed/manifests in dependency order (validated first, by runApply). */
export const applyStep: BootstrapStep = {
  id: 'apply',
  title: 'Apply',
  async plan(ctx) {
    const objects = await previewObjects(ctx);
    const { api, context } = await ctx.cluster();
    const probe = await probeCluster(api, 3000);
    if (!probe.reachable) {
      return {
        summary: `server-side apply ${objects.length} objects into namespace ${ctx.input.namespace} (context ${context} does not answer yet, so what would change is unknown)`,
        lines: objects.map((o) => `apply ${o.object.kind} ${o.object.metadata.name}`),
      };
    }
    // The server's own dry run says what would change; nothing is stored.
    const result = await runApply(api, objects, { namespace: ctx.input.namespace, dryRun: true }).catch((error: Error) => {
      // A dry run cannot create the namespace, so nothing inside it can be dry-run either: all of it is new.
      if (/namespaces? "[^"]+" not found/.test(error.message)) return null;
      throw error;
    });
    if (result === null) {
      return {
        summary: `namespace ${ctx.input.namespace} does not exist on ${context} yet: all ${objects.length} objects would be created`,
        lines: objects.map((o) => `create ${o.object.kind} ${o.object.metadata.name}`),
      };
    }
    return {
      summary: `server-side apply into namespace ${ctx.input.namespace} on ${context}: ${countActions(result.applied)} (secret values are not read in a dry run)`,
      lines: result.applied.map((a) => `${a.action} ${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}`),
    };
  },
  async apply(ctx) {
    const objects = await renderedObjects(ctx);
    const { api } = await ctx.cluster();
    const result = await runApply(api, objects, {
      namespace: ctx.input.namespace,
      onObject: (a) => ctx.progress(`${a.action} ${a.kind} ${a.name}`),
    });
    return { detail: `${countActions(result.applied)} in namespace ${ctx.input.namespace}` };
  },
};

/** What the manifests step wrote; a resumed run that starts here reads it from disk. */
export async function renderedObjects(ctx: StepContext): Promise<SourcedObject[]> {
  try {
    await access(ctx.paths.manifestsDir);
  } catch {
    throw new QedError('MANIFESTS_NOT_RENDERED', `nothing is rendered in ${ctx.paths.manifestsDir}`, {
      hint: 'Run the manifests step first: `npx qed-bootstrap --from manifests`.',
    });
  }
  return loadManifests([ctx.paths.manifestsDir]);
}

export function countActions(applied: readonly AppliedObject[]): string {
  const counts = new Map<string, number>();
  for (const a of applied) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
  return [...counts].map(([action, n]) => `${n} ${action}`).join(', ') || 'nothing to apply';
}
