import path from 'node:path';
import { connectCluster, Discovery, type KubeApi } from '@qed/kube';
import { describeOnTestenv } from 'testenv/vitest';
import { beforeAll, expect, it } from 'vitest';
import { BROKEN_IN_HISTORY, convertFile, corpusFiles } from './corpus-test-support.js';
import { serverDryRun } from './dry-run-test-support.js';

describeOnTestenv('every converted QED compose file passes the real API server dry run', (connection) => {
  let api: KubeApi;
  beforeAll(async () => {
    ({ api } = await connectCluster({ kubeconfig: connection.KUBECONFIG }));
  });

  const files = corpusFiles().filter((f) => !BROKEN_IN_HISTORY.has(path.basename(f)));
  it.each(files.map((f) => [path.basename(f), f]))('%s (local profile: claims with their PersistentVolumes)', async (_name, file) => {
    const { objects } = await convertFile(file);
    expect(await serverDryRun({ api, discovery: new Discovery(api) }, objects, file)).toEqual({ checkedOnServer: true, problems: [] });
  });

  it('the other shapes (statefulset, hostPath and emptyDir volumes, claims left to a StorageClass) pass too', async () => {
    const file = files.find((f) => path.basename(f).startsWith('qed-docker-compose-0e92ab0a')) ?? files[0] ?? '';
    for (const options of [{ controller: 'statefulset' as const }, { volumes: 'hostPath' as const }, { volumes: 'emptyDir' as const }, { dataRoot: undefined }]) {
      const { objects } = await convertFile(file, options);
      const { problems } = await serverDryRun({ api, discovery: new Discovery(api) }, objects, file);
      expect({ options, problems }).toEqual({ options, problems: [] });
    }
  });
});
