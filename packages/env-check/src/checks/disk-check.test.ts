import { describe, expect, it } from 'vitest';
import { testContext } from '../__fixtures__/test-context.js';
import { diskCheck } from './disk-check.js';

const GIB = 1024 ** 3;

describe('diskCheck', () => {
  it.each([
    [null, 'warn', 'could not measure the free space at /home/dev'],
    [
      30 * GIB,
      'fail',
      "30.0 GiB free at /home/dev, less than the 40.0 GiB the cluster's disk takes (cluster.diskSizeMb: 40960)",
    ],
    [
      45 * GIB,
      'warn',
      "45.0 GiB free at /home/dev: the cluster's disk fits, with less than 10.0 GiB left for images and caches",
    ],
    [50 * GIB, 'ok', '50.0 GiB free at /home/dev'],
  ] as const)('%s bytes free for a 40 GiB disk is %s', async (freeDiskBytes, status, detail) => {
    const result = await diskCheck.run(
      testContext({ platform: { freeDiskBytes }, cluster: { diskSizeMb: 40_960 } }),
    );
    expect(result).toMatchObject({
      status,
      detail,
      required: '40.0 GiB for the cluster + 10.0 GiB for images and caches',
    });
    expect(result.hint === null).toBe(status === 'ok');
  });

  it('says how much to free', async () => {
    const result = await diskCheck.run(testContext({ platform: { freeDiskBytes: 45 * GIB } }));
    expect(result.hint).toBe(
      'Free 5.0 GiB at /home/dev (docker system prune removes unused images), or set a smaller cluster.diskSizeMb in qed.config.yaml.',
    );
  });
});
