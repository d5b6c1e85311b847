import { access } from 'node:fs/promises';
import { QedError } from '@qed/core';
import { probeCluster } from '@qed/kube';
import { type AppliedObject, loadManifests, runApply, type SourcedObject } from '@qed/manifests';
import type { BootstrapStep, RenderedSet, StepContext } from '../pipeline-types.js';

/** What the server's dry run says would change: asked in a dry run only (a real run's apply tells). */
export type ApplyPreview =
  | { answer: 'unreachable'; context: string }
  | { answer: 'no-namespace'; context: string }
  | { answer: 'changes'; context: string; applied: AppliedObject[] };

export interface ApplyStepPlan {
  rendered: RenderedSet;
  preview?: ApplyPreview;
}

/** Server-side apply of the manifests step's objects in dependency order (validated first, unless this run's manifests step just did). */
export const applyStep: BootstrapStep<ApplyStepPlan> = {
  id: 'apply',
  title: 'Apply',
  async plan(ctx) {
    const rendered = ctx.handoff.rendered ?? { objects: await loadRenderedObjects(ctx), validated: false };
    return ctx.dryRun ? { rendered, preview: await previewApply(ctx, rendered.objects) } : { rendered };
  },
  describe({ rendered: { objects }, preview }, ctx) {
    const namespace = ctx.input.namespace;
    if (preview?.answer === 'changes') {
      return {
        summary: `server-side apply into namespace ${namespace} on ${preview.context}: ${countActions(preview.applied)} (secret values are not read in a dry run)`,
        lines: preview.applied.map((a) => `${a.action} ${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}`),
      };
    }
    if (preview?.answer === 'no-namespace') {
      return {
        summary: `namespace ${namespace} does not exist on ${preview.context} yet: all ${objects.length} objects would be created`,
        lines: objects.map((o) => `create ${o.object.kind} ${o.object.metadata.name}`),
      };
    }
    const unknown = preview?.answer === 'unreachable' ? ` (context ${preview.context} does not answer yet, so what would change is unknown)` : '';
    return {
      summary: `server-side apply ${objects.length} objects into namespace ${namespace}${unknown}`,
      lines: objects.map((o) => `apply ${o.object.kind} ${o.object.metadata.name}`),
    };
  },
  async apply(ctx, { rendered }) {
    const { api } = await ctx.cluster();
    const result = await runApply(api, rendered.objects, {
      namespace: ctx.input.namespace,
      validated: rendered.validated,
      onObject: (a) => ctx.progress(`${a.action} ${a.kind} ${a.name}`),
    });
    return { detail: `${countActions(result.applied)} in namespace ${ctx.input.namespace}` };
  },
};

/** The server's own dry run says what would change; nothing is stored. */
async function previewApply(ctx: StepContext, objects: readonly SourcedObject[]): Promise<ApplyPreview> {
  const { api, context } = await ctx.cluster();
  const probe = await probeCluster(api, 3000);
  if (!probe.reachable) return { answer: 'unreachable', context };
  const result = await runApply(api, objects, { namespace: ctx.input.namespace, dryRun: true }).catch((error: Error) => {
    // A dry run cannot create the namespace, so nothing inside it can be dry-run either: all of it is new.
    if (/namespaces? "[^"]+" not found/.test(error.message)) return null;
    throw error;
  });
  return result === null ? { answer: 'no-namespace', context } : { answer: 'changes', context, applied: result.applied };
}

/**
 * What the manifests step wrote in an earlier run: read only when this run did not
 * render (it resumes at the apply or the wait, or --from says so).
 */
export async function loadRenderedObjects(ctx: StepContext): Promise<SourcedObject[]> {
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
