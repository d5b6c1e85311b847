import type { KubeObject } from '@qed/manifests/kube-object';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertKomposeFeatures } from '../corpus-test-support.js';
import { chartFiles, renderChart, splitImage } from './chart.js';
import { checkConvertedFiles } from './check-converted.js';
import { convertSnippet } from './convert-test-support.js';

const objectsOf = (files: ReturnType<typeof renderChart>['rendered']) => files.map((f) => parse(f.text) as KubeObject);

describe('--chart: a Helm chart of the converted objects', () => {
  it('Chart.yaml, values.yaml with each container’s image and each workload’s replicas, and a template per object', async () => {
    const r = await convertSnippet(
      'services:\n  web:\n    image: registry.local:5000/shop/web:2.1\n    ports: ["80"]\n    deploy: { replicas: 3 }\n  side:\n    image: busybox@sha256:abc\n    network_mode: service:web\n  db:\n    image: postgres\n',
    );
    const files = chartFiles(r.objects, { name: 'shop', project: 'shop' });
    expect(files.map((f) => [f.name, f.role])).toEqual([
      ['Chart.yaml', 'chart'],
      ['values.yaml', 'chart'],
      ['templates/web-service.yaml', 'template'],
      ['templates/web-deployment.yaml', 'template'],
      ['templates/db-deployment.yaml', 'template'],
    ]);
    expect(parse(files[0]?.text ?? '')).toEqual({ apiVersion: 'v2', name: 'shop', description: 'The compose project shop, converted by qed-bootstrap convert', type: 'application', version: '0.1.0' });
    expect(parse(files[1]?.text ?? '')).toEqual({
      web: { replicas: 3, image: { repository: 'registry.local:5000/shop/web', tag: '2.1' } },
      side: { image: { repository: 'busybox', digest: 'sha256:abc' } },
      db: { replicas: 1, image: { repository: 'postgres', tag: 'latest' } },
    });
    const web = files.find((f) => f.name === 'templates/web-deployment.yaml')?.text ?? '';
    expect(web).toContain('  replicas: {{ .Values.web.replicas }}\n');
    expect(web).toContain('image: "{{ .Values.web.image.repository }}:{{ .Values.web.image.tag }}"');
    expect(web).toContain('image: "{{ .Values.side.image.repository }}@{{ .Values.side.image.digest }}"');
  });

  it('rendered with its values, the chart gives back exactly the converted objects', async () => {
    const { objects } = await convertKomposeFeatures();
    const { rendered, problems } = renderChart(chartFiles(objects, { name: 'kompose-features', project: 'kompose-features' }));
    expect(problems).toEqual([]);
    // Images without a tag come back with :latest, which is what the runtime pulls for them.
    expect(objectsOf(rendered)).toEqual(objects);
  });

  it('a `{{` in the compose file is escaped: Helm prints it, not reads it', async () => {
    const r = await convertSnippet('services:\n  app:\n    image: app:1\n    environment:\n      GREETING: "{{ .Values.nope }} and {{`x`}}"\n');
    const files = chartFiles(r.objects, { name: 'c', project: 'c' });
    expect(files.find((f) => f.name === 'templates/app-deployment.yaml')?.text).toContain('value: "{{`{{`}} .Values.nope }} and {{`{{`}}`x`}}"');
    const { rendered, problems } = renderChart(files);
    expect(problems).toEqual([]);
    expect(objectsOf(rendered)).toEqual(r.objects);
  });

  it('values.yaml drives the templates', async () => {
    const r = await convertSnippet('services:\n  app:\n    image: app:1\n');
    const files = chartFiles(r.objects, { name: 'c', project: 'c' }).map((f) => (f.name === 'values.yaml' ? { ...f, text: 'app:\n  replicas: 4\n  image:\n    repository: mirror/app\n    tag: "2"\n' } : f));
    const [deployment] = objectsOf(renderChart(files).rendered);
    expect(deployment?.spec).toMatchObject({ replicas: 4, template: { spec: { containers: [{ image: 'mirror/app:2' }] } } });
  });

  it('convert’s checks read the chart as Helm renders it; an expression the chart does not define is a problem', async () => {
    const { objects } = await convertKomposeFeatures();
    const files = chartFiles(objects, { name: 'kompose-features', project: 'kompose-features' });
    expect((await checkConvertedFiles(files, '/out')).problems).toEqual([]);
    const broken = files.map((f) => (f.name === 'templates/db-admin-deployment.yaml' ? { ...f, text: f.text.replace('{{ .Values.dbAdmin.replicas }}', '{{ .Values.dbAdmin.count }}') } : f));
    expect((await checkConvertedFiles(broken, '/out')).problems.map((p) => `${p.file}: ${p.message}`)).toContain(
      '/out/templates/db-admin-deployment.yaml: {{ .Values.dbAdmin.count }} names no value in values.yaml',
    );
    const stray = files.map((f) => (f.name === 'templates/app-service.yaml' ? { ...f, text: `${f.text}# {{ include "x" . }}\n` } : f));
    expect((await checkConvertedFiles(stray, '/out')).problems.map((p) => p.message)).toContain('holds a template expression the chart does not define');
  });

  it('an HPA owns the replicas: then they are no value', async () => {
    const r = await convertSnippet('services:\n  app:\n    image: app\n    labels: { kompose.hpa.replicas.max: "4" }\n');
    expect(parse(chartFiles(r.objects, { name: 'c', project: 'c' })[1]?.text ?? '')).toEqual({ app: { image: { repository: 'app', tag: 'latest' } } });
  });

  it.each([
    ['nginx', { repository: 'nginx', tag: 'latest' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    ['localhost:5000/qed/web', { repository: 'localhost:5000/qed/web', tag: 'latest' }],
    ['localhost:5000/qed/web:v2', { repository: 'localhost:5000/qed/web', tag: 'v2' }],
    ['nginx@sha256:0123', { repository: 'nginx', digest: 'sha256:0123' }],
  ])('splitImage(%s)', (image, parts) => {
    expect(splitImage(image)).toEqual(parts);
  });
});
