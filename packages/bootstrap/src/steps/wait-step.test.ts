import { WAITED_KINDS } from '@qed/manifests';
import { describe, expect, it } from 'vitest';
import { planView, runStep, stepWorld } from '../__fixtures__/step-world.js';
import { manifestsStep } from './manifests-step.js';
import { waitStep } from './wait-step.js';

const KIND = { kind: 'context', context: 'kind-kind' } as const;

describe('wait step', () => {
  it('plans a wait for each workload and claim the manifests step would write, and nothing else', async () => {
    const { ctx } = await stepWorld({ target: KIND });
    const waited = (await planView(manifestsStep, ctx)).lines.filter((l) => (WAITED_KINDS as readonly string[]).includes(l.split(': ')[1]?.split(' ')[0] ?? ''));
    const plan = await planView(waitStep, ctx);
    expect(plan.summary).toBe(`wait up to 300s for ${waited.length} workloads and claims; changes nothing`);
    expect(plan.lines).toHaveLength(waited.length);
    expect(plan.lines).toContain('wait for Deployment qed-unit/nginx');
    expect(plan.lines.every((l) => /^wait for (Deployment|StatefulSet|DaemonSet|Job|PersistentVolumeClaim) qed-unit\/[a-z0-9-]+$/.test(l))).toBe(true);
  });

  it('says the timeout it was given', async () => {
    const { ctx } = await stepWorld({ target: KIND, input: { waitTimeoutMs: 90_000 } });
    await manifestsStep.plan(ctx);
    expect((await planView(waitStep, ctx)).summary).toMatch(/^wait up to 90s for \d+ workloads and claims; changes nothing$/);
  });

  it('waits for what is rendered: nothing rendered is MANIFESTS_NOT_RENDERED, a cluster that does not answer CLUSTER_UNREACHABLE', async () => {
    const { ctx } = await stepWorld({ target: KIND });
    await expect(runStep(waitStep, ctx)).rejects.toMatchObject({ code: 'MANIFESTS_NOT_RENDERED' });
    await expect(runStep(manifestsStep, ctx)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    await expect(runStep(waitStep, ctx)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
  });
});
