import { describe, expect, it } from 'vitest';
import { stepWorld } from '../__fixtures__/step-world.js';
import { applyStep, countActions } from './apply-step.js';
import { manifestsStep } from './manifests-step.js';

const KIND = { kind: 'context', context: 'kind-kind' } as const;

describe('apply step', () => {
  it('plans every object the manifests step would write; with a cluster that does not answer, what would change is unknown', async () => {
    const { ctx } = await stepWorld({ target: KIND });
    const rendered = await manifestsStep.plan(ctx);
    const plan = await applyStep.plan(ctx);
    const count = rendered.lines.filter((l) => !l.startsWith('warning: ')).length;
    expect(plan.summary).toBe(`server-side apply ${count} objects into namespace qed-unit (context kind-kind does not answer yet, so what would change is unknown)`);
    expect(plan.lines).toHaveLength(count);
    expect(plan.lines[0]).toBe('apply Namespace qed-unit');
    expect(plan.lines.every((l) => /^apply [A-Za-z]+ [a-z0-9.-]+$/.test(l))).toBe(true);
  });

  it('refuses to apply before anything is rendered, naming the step to run first', async () => {
    const { ctx } = await stepWorld({ target: KIND });
    await expect(applyStep.apply(ctx)).rejects.toMatchObject({
      code: 'MANIFESTS_NOT_RENDERED',
      message: `nothing is rendered in ${ctx.paths.manifestsDir}`,
      hint: 'Run the manifests step first: `npx qed-bootstrap --from manifests`.',
    });
  });

  it('reads what the manifests step wrote (a resumed run starts here), and needs the cluster to apply it', async () => {
    const { ctx, server } = await stepWorld({ target: KIND });
    // The manifests step writes the render before it asks the cluster's dry run, which fails here.
    await expect(manifestsStep.apply(ctx)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    await expect(applyStep.apply(ctx)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: expect.stringContaining(server) });
  });
});

describe('countActions', () => {
  it('counts each action in the order first met', () => {
    const applied = (action: string) => ({ action, kind: 'Deployment', name: 'x' }) as unknown as Parameters<typeof countActions>[0][number];
    expect(countActions([])).toBe('nothing to apply');
    expect(countActions(['created', 'unchanged', 'created', 'configured'].map(applied))).toBe('2 created, 1 unchanged, 1 configured');
  });
});
