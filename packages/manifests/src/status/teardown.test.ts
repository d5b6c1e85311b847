import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import { purgedDataFolders, type TeardownPlan } from './teardown.js';

const pv = (name: string, hostPath?: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: hostPath ? { hostPath: { path: hostPath } } : { csi: {} } }) as KubeObject;

describe('purgedDataFolders', () => {
  const plan = (remove: KubeObject[]): TeardownPlan => ({ namespace: 'qed', remove, keep: [] });

  it('names the host folder of each purged hostPath volume under the data root (Linux: the node path is the host path)', () => {
    const folders = purgedDataFolders(plan([pv('qed-redis-data', '/home/me/.qed/data/redis-data'), pv('qed-pg', '/home/me/.qed/data/pv/postgres')]), '/home/me/.qed/data', 'linux');
    expect(folders).toEqual(['/home/me/.qed/data/redis-data', path.join('/home/me/.qed/data', 'pv', 'postgres')]);
  });

  it('maps the node path back to the Windows folder the VM mounts', () => {
    const folders = purgedDataFolders(plan([pv('qed-redis-data', '/c/Users/me/qed/redis-data')]), 'C:\\Users\\me\\qed', 'windows');
    expect(folders).toEqual([path.join('C:\\Users\\me\\qed', 'redis-data')]);
  });

  it('never names anything outside the data root, the root itself, or volumes that are not hostPath', () => {
    const folders = purgedDataFolders(
      plan([pv('outside', '/var/lib/other'), pv('sibling', '/home/me/.qed/database'), pv('root', '/home/me/.qed/data'), pv('csi'), { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' } } as KubeObject]),
      '/home/me/.qed/data',
      'linux',
    );
    expect(folders).toEqual([]);
  });
});
