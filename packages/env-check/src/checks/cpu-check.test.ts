import { describe, expect, it } from 'vitest';
import { testContext } from '../__fixtures__/test-context.js';
import { cpuCheck } from './cpu-check.js';

describe('cpuCheck', () => {
  it.each([
    [1, 4, 'fail', '1 CPU; minikube needs at least 2'],
    [2, 4, 'warn', '2 CPUs, fewer than the 4 the cluster asks for'],
    [4, 4, 'ok', '4 CPUs; the cluster uses 4'],
    [16, 4, 'ok', '16 CPUs; the cluster uses 4'],
  ] as const)('%i CPUs for a %i-CPU cluster is %s', async (cpuCount, cpus, status, detail) => {
    const result = await cpuCheck.run(testContext({ platform: { cpuCount }, cluster: { cpus } }));
    expect(result).toMatchObject({
      id: 'cpu',
      status,
      detail,
      required: `${cpus} for the cluster (cluster.cpus); minikube needs at least 2`,
    });
  });

  it('suggests giving the cluster the CPUs there are', async () => {
    const result = await cpuCheck.run(testContext({ platform: { cpuCount: 3 }, cluster: { cpus: 4 } }));
    expect(result.hint).toBe(
      'Give the cluster what there is: set cluster.cpus: 3 in qed.config.yaml.',
    );
  });
});
