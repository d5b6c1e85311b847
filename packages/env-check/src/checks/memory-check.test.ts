import { describe, expect, it } from 'vitest';
import { testContext } from '../__fixtures__/test-context.js';
import { memoryCheck } from './memory-check.js';

const GIB = 1024 ** 3;

describe('memoryCheck', () => {
  it.each([
    [
      6 * GIB,
      'fail',
      '6.0 GiB in total, less than the 8.0 GiB the cluster asks for (cluster.memoryMb: 8192)',
    ],
    [9 * GIB, 'warn', '9.0 GiB in total: the cluster fits, but leaves the host less than 2.0 GiB'],
    [10 * GIB, 'ok', '10.0 GiB in total'],
    [32 * GIB, 'ok', '32.0 GiB in total'],
  ] as const)('%d bytes for an 8 GiB cluster is %s', async (totalMemoryBytes, status, detail) => {
    const result = await memoryCheck.run(
      testContext({ platform: { totalMemoryBytes }, cluster: { memoryMb: 8192 } }),
    );
    expect(result).toMatchObject({
      status,
      detail,
      required: '8.0 GiB for the cluster + 2.0 GiB for the host',
    });
  });

  it('suggests a cluster size that leaves the host its share', async () => {
    const result = await memoryCheck.run(testContext({ platform: { totalMemoryBytes: 7.8 * GIB } }));
    expect(result.hint).toBe('Give the cluster less: set cluster.memoryMb: 5632 in qed.config.yaml.');
  });

  it('says when the machine is too small for minikube at all', async () => {
    const result = await memoryCheck.run(testContext({ platform: { totalMemoryBytes: 3 * GIB } }));
    expect(result.status).toBe('fail');
    expect(result.hint).toContain("cannot hold minikube's minimum of 1800 MB");
  });
});
