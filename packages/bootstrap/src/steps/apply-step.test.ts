import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runStep, stepWorld } from '../__fixtures__/step-world.js';
import { applyStep, countActions } from './apply-step.js';
import { manifestsStep } from './manifests-step.js';

const KIND = { kind: 'context', context: 'kind-kind' } as const;

describe('apply step', () => {
  it('plans every object the manifests step hands over; a dry run asks the server what would change, and says when it does not answer', async () => {
    const { ctx } = await stepWorld({ target: KIND, dryRun: true });
    const rendered = await manifestsStep.plan(ctx);
    expect(ctx.handoff.rendered).toEqual({ objects: rendered.objects, validated: false });
    const plan = await applyStep.plan(ctx);
    expect(plan.rendered.objects).toBe(rendered.objects);
    expect(plan.preview).toEqual({ answer: 'unreachable', context: 'kind-kind' });
    const view = applyStep.describe(plan, ctx);
    const count = rendered.objects.length;
    expect(view.summary).toBe(`server-side apply ${count} objects into namespace qed-unit (context kind-kind does not answer yet, so what would change is unknown)`);
    expect(view.lines).toHaveLength(count);
    expect(view.lines[0]).toBe('apply Namespace qed-unit');
    expect(view.lines.every((l) => /^apply [A-Za-z]+ [a-z0-9.-]+$/.test(l))).toBe(true);
  });

  it('in a run, plans without asking the server: its apply will tell what changed', async () => {
    const { ctx } = await stepWorld({ target: KIND });
    await manifestsStep.plan(ctx);
    const plan = await applyStep.plan(ctx);
    expect(plan.preview).toBeUndefined();
    expect(applyStep.describe(plan, ctx).summary).toBe(`server-side apply ${plan.rendered.objects.length} objects into namespace qed-unit`);
  });

  it('refuses to apply before anything is rendered, naming the step to run first', async () => {
    const { ctx } = await stepWorld({ target: KIND });
    await expect(runStep(applyStep, ctx)).rejects.toMatchObject({
      code: 'MANIFESTS_NOT_RENDERED',
      message: `nothing is rendered in ${ctx.paths.manifestsDir}`,
      hint: 'Run the manifests step first: `npx qed-bootstrap --from manifests`.',
    });
  });

  it('a later run that resumes here reads what the manifests step wrote; the run that rendered never reads it back', async () => {
    const { ctx, newRun } = await stepWorld({ target: KIND });
    // The manifests step writes the render before it asks the cluster's dry run, which fails here.
    await expect(runStep(manifestsStep, ctx)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    const handedOver = ctx.handoff.rendered?.objects;
    await rm(ctx.paths.manifestsDir, { recursive: true });
    expect((await applyStep.plan(ctx)).rendered.objects).toBe(handedOver);
    await expect(applyStep.plan(newRun())).rejects.toMatchObject({ code: 'MANIFESTS_NOT_RENDERED' });

    const { ctx: first, newRun: later, server } = await stepWorld({ target: KIND });
    await expect(runStep(manifestsStep, first)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    const resumed = later();
    const plan = await applyStep.plan(resumed);
    expect(plan.rendered.validated).toBe(false);
    const names = (objects: readonly { object: { kind: string; metadata: { name: string } } }[] = []) => objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`).sort();
    expect(names(plan.rendered.objects)).toEqual(names(first.handoff.rendered?.objects));
    await expect(applyStep.apply(resumed, plan)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: expect.stringContaining(server) });
  });
});

describe('countActions', () => {
  it('counts each action in the order first met', () => {
    const applied = (action: string) => ({ action, kind: 'Deployment', name: 'x' }) as unknown as Parameters<typeof countActions>[0][number];
    expect(countActions([])).toBe('nothing to apply');
    expect(countActions(['created', 'unchanged', 'created', 'configured'].map(applied))).toBe('2 created, 1 unchanged, 1 configured');
  });
});
