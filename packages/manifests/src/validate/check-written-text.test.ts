import { formatKubeYaml } from '@qed/core';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import { checkWrittenText } from './check-written-text.js';

const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } };
// replicas as a string: the schema's finding, at the line of replicas in the second document.
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 'two',
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
  },
};
const text = `# written by a test\n${formatKubeYaml(configMap)}---\n${formatKubeYaml(deployment)}`;
const located = (problems: Awaited<ReturnType<typeof checkWrittenText>>['problems']) => problems.map((p) => `${p.file}:${p.line} ${p.object} ${p.field}: ${p.message}`);

describe('checkWrittenText', () => {
  it('checks the objects a text was written from and finds a problem at the same line as reading the text back does', async () => {
    const given = await checkWrittenText([{ file: '/out/all.yml', text, objects: [configMap, deployment] }]);
    const readBack = await checkWrittenText([{ file: '/out/all.yml', text }]);
    expect(located(given.problems)).toEqual(['/out/all.yml:14 Deployment web spec.replicas: must be integer, not the string "two"']);
    expect(located(given.problems)).toEqual(located(readBack.problems));
    expect(given.objects.map((o) => [o.source.documentIndex, o.source.line])).toEqual(readBack.objects.map((o) => [o.source.documentIndex, o.source.line]));
  });
});
