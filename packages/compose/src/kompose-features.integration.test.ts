import { connectCluster, Discovery, type KubeApi } from '@qed/kube';
import type { KubeObject } from '@qed/manifests';
import { describeOnTestenv } from 'testenv/vitest';
import { beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import path from 'node:path';
import { chartFiles, renderChart } from './convert/chart.js';
import { convertSnippet } from './convert/convert-test-support.js';
import { convertedFiles, inNamespace, withoutConvertAnnotations } from './convert/output-files.js';
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

  it('__fixtures__/kompose-features with --controller replicationcontroller: v1 ReplicationControllers (and an HPA scaling one)', async () => {
    const { objects } = await convertKomposeFeatures({ controller: 'replicationcontroller' });
    expect(objects.filter((o) => o.kind === 'ReplicationController').length).toBeGreaterThan(0);
    expect(objects.some((o) => o.kind === 'Deployment')).toBe(false);
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

  it('deploy.mode replicated-job / global-job as Jobs, --service-group-mode volume as one pod, --with-kompose-annotation=false', async () => {
    const r = await convertSnippet(
      [
        'services:',
        '  migrate:',
        '    image: busybox:1.36',
        '    command: ["true"]',
        '    deploy: { mode: replicated-job, replicas: 3 }',
        '  sweep:',
        '    image: busybox:1.36',
        '    deploy: { mode: global-job }',
        '  web:',
        '    image: nginx:1.27',
        '    ports: ["8080:80"]',
        '    volumes: ["data:/data"]',
        '  worker:',
        '    image: busybox:1.36',
        '    volumes: ["data:/data"]',
        'volumes:',
        '  data: {}',
        '',
      ].join('\n'),
      { serviceGroupMode: 'volume', serviceGroupName: 'backend' },
    );
    expect(r.kinds()).toEqual(['PersistentVolumeClaim/data', 'Service/web', 'Job/migrate', 'Job/sweep', 'Deployment/backend']);
    expect(r.get('Job', 'migrate').spec).toMatchObject({ completions: 3, parallelism: 3 });
    const file = path.join(r.dir, 'docker-compose.yml');
    await dryRun(r.objects, file);
    await dryRun(withoutConvertAnnotations(r.objects), file);
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
