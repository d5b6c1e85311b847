import { describe, expect, it } from 'vitest';
import { planView, runStep, stepWorld } from '../__fixtures__/step-world.js';
import { summaryStep } from './summary-step.js';

describe('summary step', () => {
  it('plans to print what runs, changing nothing', async () => {
    const { ctx } = await stepWorld({ target: { kind: 'context', context: 'kind-kind' } });
    expect(await planView(summaryStep, ctx)).toEqual({ summary: 'print what runs in namespace qed-unit and how to reach each service; changes nothing', lines: [] });
  });

  it.each([
    ['an existing context', { kind: 'context', context: 'kind-kind' } as const],
    ['minikube', { kind: 'minikube' } as const],
  ])('reads the status from the cluster (%s): one that does not answer is CLUSTER_UNREACHABLE with how to start it', async (_, target) => {
    const { ctx, server } = await stepWorld({ target });
    await expect(runStep(summaryStep, ctx)).rejects.toMatchObject({
      code: 'CLUSTER_UNREACHABLE',
      message: expect.stringContaining(server),
      hint: expect.stringContaining('qed-bootstrap cluster up'),
    });
  });
});
