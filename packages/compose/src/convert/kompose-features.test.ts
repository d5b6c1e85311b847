import { describe, expect, it } from 'vitest';
import { convertComposeKeys, convertKomposeFeatures } from '../corpus-test-support.js';
import { chartFiles } from './chart.js';
import { checkConvertedFiles } from './check-converted.js';
import { convertedFiles } from './output-files.js';

describe('a project using every secret, config and kompose label shape (__fixtures__/kompose-features)', () => {
  it('converts into the objects each asks for', async () => {
    const { objects } = await convertKomposeFeatures();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'PersistentVolume/qed-backups',
      'PersistentVolumeClaim/db-data',
      'PersistentVolumeClaim/backups',
      'ConfigMap/app-settings',
      'ConfigMap/nginx-conf',
      'Secret/db',
      'Secret/db-password',
      'Secret/db-tls',
      'Service/db',
      'Service/app',
      'Service/web',
      'Service/db-admin',
      'Service/node-exporter',
      'Ingress/web',
      'StatefulSet/db',
      'Deployment/app',
      'Deployment/frontend',
      'Deployment/db-admin',
      'CronJob/backup',
      'DaemonSet/node-exporter',
      'HorizontalPodAutoscaler/app',
    ]);
  });

  it('passes the checks convert runs before it writes: schema and references', async () => {
    const { objects } = await convertKomposeFeatures();
    const { problems } = await checkConvertedFiles(convertedFiles(objects), '/out');
    expect(problems).toEqual([]);
  });
});

describe('a project using every compose key kompose carries (__fixtures__/compose-keys)', () => {
  it('converts into the objects each asks for: the include resolved, Jobs, a DaemonSet, a shared pod, NetworkPolicies, folders as ConfigMaps', async () => {
    const { objects, warnings } = await convertComposeKeys();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'PersistentVolume/qed-db-data',
      'PersistentVolumeClaim/db-data',
      'ConfigMap/db-init',
      'ConfigMap/web-site',
      'Secret/db',
      'Secret/db-password',
      'Service/web',
      'Service/api',
      'Service/backend',
      'Deployment/db',
      'Deployment/web',
      'Deployment/api',
      'Job/migrate',
      'Job/seed',
      'DaemonSet/node-agent',
      'NetworkPolicy/compose-keys-private',
      'NetworkPolicy/compose-keys-front',
      'NetworkPolicy/compose-keys-default',
      'NetworkPolicy/web-published',
    ]);
    expect(warnings.map((w) => w.key)).toEqual(['services.db.volumes', 'services.web.domainname']);
  });

  it('passes the checks convert runs before it writes, as YAML, as JSON and as a chart', async () => {
    const { objects } = await convertComposeKeys();
    expect((await checkConvertedFiles(convertedFiles(objects), '/out')).problems).toEqual([]);
    expect((await checkConvertedFiles(convertedFiles(objects, 'json'), '/out')).problems).toEqual([]);
    expect((await checkConvertedFiles(chartFiles(objects, { name: 'compose-keys', project: 'compose-keys' }), '/out')).problems).toEqual([]);
  });
});
