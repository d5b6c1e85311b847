import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLock } from './lock.js';
import { formatEnvFile, testenvUnavailableReason } from './testenv.js';
import { readPinnedVersions } from './versions.js';

describe('readPinnedVersions', () => {
  it('reads the one file where versions are pinned', () => {
    const versions = readPinnedVersions();
    expect(versions.kubernetes).toMatch(/^v1\.\d+\.\d+$/);
    expect(versions.etcd).toMatch(/^v3\.\d+\.\d+$/);
    expect(versions.kwok).toMatch(/^v0\.\d+\.\d+$/);
    expect(versions.debianPackages).toEqual(expect.arrayContaining(['podman', 'runc', 'docker-registry']));
  });

  it('names the file and key when one is missing', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-v-')), 'versions.env');
    await writeFile(file, 'KUBERNETES_VERSION=v1.36.3\n');
    expect(() => readPinnedVersions(file)).toThrow(`${file}: ETCD_VERSION is not set`);
  });
});

describe('formatEnvFile', () => {
  it('writes sh-sourceable exports', () => {
    expect(
      formatEnvFile({ KUBECONFIG: '/r/.testenv/kubeconfig', DOCKER_HOST: 'unix:///r/p.sock', QED_TEST_REGISTRY: '127.0.0.1:5001', QED_TESTENV_CONTEXT: 'qed-testenv' }),
    ).toBe(
      "export KUBECONFIG='/r/.testenv/kubeconfig'\nexport DOCKER_HOST='unix:///r/p.sock'\nexport QED_TEST_REGISTRY='127.0.0.1:5001'\nexport QED_TESTENV_CONTEXT='qed-testenv'\n",
    );
  });
});

describe('testenvUnavailableReason', () => {
  it.each([
    ['linux', null],
    ['darwin', 'the test environment needs Linux (podman, etcd and kube-apiserver run natively); this is darwin'],
    ['win32', 'the test environment needs Linux (podman, etcd and kube-apiserver run natively); this is win32'],
  ] as const)('%s', (platform, expected) => {
    expect(testenvUnavailableReason(platform)).toBe(expected);
  });
});

describe('withLock', () => {
  it('runs bodies one at a time and releases the lock', async () => {
    const lock = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-lock-')), 'x.lock');
    const order: string[] = [];
    const body = (name: string) => async () => {
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push(`${name} out`);
    };
    await Promise.all([withLock(lock, 5000, body('a')), withLock(lock, 5000, body('b'))]);
    // Either may win (each writes its lock, then links it: whichever link comes first); never both at once.
    const [first, second] = order[0] === 'a in' ? ['a', 'b'] : ['b', 'a'];
    expect(order).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    await expect(readFile(lock)).rejects.toThrow(/ENOENT/);
  });

  it('takes over a lock left by a process that died', async () => {
    const lock = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-lock-')), 'x.lock');
    // PIDs are at most 2^22 on Linux, so this one cannot be alive.
    await writeFile(lock, '99999999');
    expect(await withLock(lock, 2000, async () => 'ran')).toBe('ran');
  });
});
