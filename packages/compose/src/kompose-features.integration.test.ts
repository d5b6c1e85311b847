import { connectCluster, Discovery, type KubeApi } from '@qed/kube';
import type { KubeObject } from '@qed/manifests';
import { describeOnTestenv } from 'testenv/vitest';
import { beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartFiles, renderChart } from './convert/chart.js';
import { convertedFiles, inNamespace } from './convert/output-files.js';
import { COMPOSE_KEYS, convertComposeKeys, convertKomposeFeatures, KOMPOSE_FEATURES } from './corpus-test-support.js';
import { serverDryRun } from './dry-run-test-support.js';

describeOnTestenv('compose secrets, configs, kompose labels and compose keys pass the real API server strict dry run', (connection) => {
  let api: KubeApi;
  beforeAll(async () => {
    ({ api } = await connectCluster({ kubeconfig: connection.KUBECONFIG }));
  });
  const dryRun = async (objects: readonly KubeObject[], file: string) => {
    const report = await serverDryRun({ api, discovery: new Discovery(api) }, objects, file);
    expect(report).toEqual({ checkedOnServer: true, problems: [] });
  };

  it.each([
    ['the local profile (claims bound to their hostPath PersistentVolumes)', {}],
    ['claims left to a StorageClass', { dataRoot: undefined }],
  ])('__fixtures__/kompose-features, %s: Secrets, ConfigMaps, an Ingress, a CronJob, a DaemonSet, a StatefulSet and an HPA', async (_name, options) => {
    const { objects } = await convertKomposeFeatures(options);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ['Secret', 'ConfigMap', 'Ingress', 'CronJob', 'HorizontalPodAutoscaler', 'DaemonSet', 'StatefulSet']) expect(kinds).toContain(kind);
    await dryRun(objects, KOMPOSE_FEATURES);
  });

  it.each([
    ['Jobs for run-once services', {}, ['Job', 'DaemonSet', 'NetworkPolicy', 'ConfigMap']],
    ['bare Pods for them (--run-once pod)', { runOnce: 'pod' as const }, ['Pod', 'DaemonSet', 'NetworkPolicy']],
  ])('__fixtures__/compose-keys, %s: an include, a shared pod, placement, NetworkPolicies, folders as ConfigMaps', async (_name, options, expected) => {
    const { objects } = await convertComposeKeys(options);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of expected) expect(kinds).toContain(kind);
    await dryRun(objects, COMPOSE_KEYS);
  });

  it('__fixtures__/compose-keys as --json files, with --namespace written into every object', async () => {
    const { objects } = await convertComposeKeys();
    const files = convertedFiles(inNamespace(objects, 'default'), 'json');
    const read = files.map((f) => JSON.parse(f.text) as KubeObject);
    expect(read.filter((o) => o.kind !== 'PersistentVolume').every((o) => o.metadata.namespace === 'default')).toBe(true);
    await dryRun(read, COMPOSE_KEYS);
  });

  it('__fixtures__/kompose-features and compose-keys as Helm charts, rendered with their values.yaml', async () => {
    for (const [convert, file] of [[convertKomposeFeatures, KOMPOSE_FEATURES], [convertComposeKeys, COMPOSE_KEYS]] as const) {
      const { objects } = await convert();
      const { rendered, problems } = renderChart(chartFiles(objects, { name: 'chart', project: 'chart' }));
      expect(problems).toEqual([]);
      await dryRun(rendered.map((f) => parse(f.text) as KubeObject), file);
    }
  });
});
