import type { KubeObject } from '@qed/manifests/kube-object';
import { describe, expect, it } from 'vitest';
import { checkConvertedFiles } from './check-converted.js';
import { convertedFiles } from './output-files.js';

const deployment = (volumeMounts: unknown[], volumes: unknown[]): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', volumeMounts }], volumes } },
  },
});

describe('checkConvertedFiles', () => {
  it('finds what the server would refuse at the file and line convert would write', async () => {
    const files = convertedFiles([deployment([{ name: 'data', mountPath: '/srv' }], [])]);
    const { problems } = await checkConvertedFiles(files, '/out');
    expect(problems.map((p) => `${p.file}:${p.line} ${p.field}: ${p.message}`)).toEqual([
      '/out/web-deployment.yml:19 spec.template.spec.containers[0].volumeMounts[0].name: volumeMounts[0] names volume data, which the pod does not define: add it under volumes or remove the mount',
    ]);
  });

  it('warns about a claim none of the converted files creates (an external volume)', async () => {
    const files = convertedFiles([deployment([{ name: 'data', mountPath: '/srv' }], [{ name: 'data', persistentVolumeClaim: { claimName: 'shared' } }])]);
    const { problems, warnings } = await checkConvertedFiles(files, '/out');
    expect(problems).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      'names claim shared, which none of these manifests defines: the pod stays Pending until that PersistentVolumeClaim exists',
    ]);
  });
});
