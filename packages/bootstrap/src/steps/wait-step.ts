import { QedError } from '@qed/core';
import { Discovery } from '@qed/kube';
import { WAITED_KINDS, waitReady } from '@qed/manifests';
import type { BootstrapStep } from '../pipeline-types.js';
import { renderedObjects } from './apply-step.js';
import { previewObjects } from './manifests-step.js';

export const DEFAULT_WAIT_TIMEOUT_MS = 300_000;
const waited = (kind: string) => (WAITED_KINDS as readonly string[]).includes(kind);

/** Every Deployment available, StatefulSet ready, Job complete and claim bound; what is not gets diagnosed. */
export const waitStep: BootstrapStep = {
  id: 'wait',
  title: 'Wait until ready',
  async plan(ctx) {
    const objects = (await previewObjects(ctx)).filter((o) => waited(o.object.kind));
    return {
      summary: `wait up to ${Math.round((ctx.input.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS) / 1000)}s for ${objects.length} workloads and claims; changes nothing`,
      lines: objects.map((o) => `wait for ${o.object.kind} ${ctx.input.namespace}/${o.object.metadata.name}`),
    };
  },
  async apply(ctx) {
    const objects = (await renderedObjects(ctx)).map((o) => o.object);
    const { api } = await ctx.cluster();
    const result = await waitReady(api, new Discovery(api), objects, ctx.input.namespace, {
      timeoutMs: ctx.input.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
      signal: ctx.signal,
      onReady: (object, summary) => ctx.progress(`ready ${object} (${summary})`),
    });
    if (ctx.signal.aborted) return { detail: 'interrupted' };
    if (result.notReady.length > 0) {
      throw new QedError(
        'NOT_READY',
        `${result.notReady.length} of ${result.ready.length + result.notReady.length} not ready in namespace ${ctx.input.namespace}:\n  ${result.notReady.map((d) => `${d.object}: ${d.message}`).join('\n  ')}`,
        {
          hint: `${[...new Set(result.notReady.map((d) => d.hint))].join(' ')} Then run \`npx qed-bootstrap\` again: it resumes at the wait.`,
          data: { notReady: result.notReady },
        },
      );
    }
    return { detail: `${result.ready.length} workloads and claims ready` };
  },
};
