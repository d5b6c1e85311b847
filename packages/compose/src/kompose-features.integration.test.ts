import path from 'node:path';
import { connectCluster, Discovery, type KubeApi } from '@qed/kube';
import { type SourcedObject, validateManifests } from '@qed/manifests';
import { describeOnTestenv } from 'testenv/vitest';
import { beforeAll, expect, it } from 'vitest';
import { convertKomposeFeatures, KOMPOSE_FEATURES } from './corpus-test-support.js';

describeOnTestenv('compose secrets, configs and kompose labels pass the real API server strict dry run', (connection) => {
  let api: KubeApi;
  beforeAll(async () => {
    ({ api } = await connectCluster({ kubeconfig: connection.KUBECONFIG }));
  });

  it.each([
    ['the local profile (claims bound to their hostPath PersistentVolumes)', {}],
    ['claims left to a StorageClass', { dataRoot: undefined }],
  ])('__fixtures__/kompose-features, %s: Secrets, ConfigMaps, an Ingress, a CronJob, a DaemonSet, a StatefulSet and an HPA', async (_name, options) => {
    const { objects } = await convertKomposeFeatures(options);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ['Secret', 'ConfigMap', 'Ingress', 'CronJob', 'HorizontalPodAutoscaler', 'DaemonSet', 'StatefulSet']) expect(kinds).toContain(kind);
    const sourced: SourcedObject[] = objects.map((object) => ({ object, source: { file: path.basename(KOMPOSE_FEATURES), documentIndex: 0, line: 1, lineOf: () => 1 } }));
    const report = await validateManifests(sourced, { target: { api, discovery: new Discovery(api) }, namespace: 'default' });
    expect(report.checkedOnServer).toBe(true);
    expect(report.problems).toEqual([]);
  });
});
