import { describe, expect, it } from 'vitest';
import { convertKomposeFeatures } from '../corpus-test-support.js';
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
