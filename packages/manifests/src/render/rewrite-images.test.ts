import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import { applyImageRefs, canonicalRepository, parseImageRef, sourceTag } from './rewrite-images.js';

describe('parseImageRef', () => {
  it.each([
    ['quanted/qed-django:latest', { repository: 'quanted/qed-django', tag: 'latest', digest: undefined }],
    ['mdillon/postgis', { repository: 'mdillon/postgis', tag: undefined, digest: undefined }],
    ['localhost:5000/redis', { repository: 'localhost:5000/redis', tag: undefined, digest: undefined }],
    ['localhost:5000/redis:7', { repository: 'localhost:5000/redis', tag: '7', digest: undefined }],
    ['redis:7@sha256:abc', { repository: 'redis', tag: '7', digest: 'sha256:abc' }],
  ])('%s', (image, expected) => {
    expect(parseImageRef(image)).toEqual(expected);
  });

  it('treats Docker Hub spellings as one repository', () => {
    expect(
      ['redis', 'library/redis', 'docker.io/library/redis', 'index.docker.io/library/redis'].map(
        canonicalRepository,
      ),
    ).toEqual(['redis', 'redis', 'redis', 'redis']);
    expect(canonicalRepository('docker.io/quanted/redis')).toBe('quanted/redis');
  });

  it('pushes a source without a tag as latest', () => {
    expect([sourceTag('mdillon/postgis'), sourceTag('quanted/flask_qed:gdal_update')]).toEqual([
      'latest',
      'gdal_update',
    ]);
  });
});

describe('applyImageRefs', () => {
  const deployment = (image: string) =>
    ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'c', image }] } } },
    }) as unknown as KubeObject;
  const imageOf = (o: KubeObject) => (o as unknown as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }).spec.template.spec.containers[0]?.image;
  const refs = { 'quanted/qed-django:latest': '127.0.0.1:5000/qed-django:c-1a2b', 'quanted/redis:latest': 'quanted/redis:latest' };

  it('points containers at the pushed refs, matching the source however it is spelt', () => {
    const objects = [deployment('quanted/qed-django'), deployment('docker.io/quanted/qed-django:latest'), deployment('quanted/redis:latest'), deployment('mher/flower:latest')];
    expect(applyImageRefs(objects, refs)).toBe(2);
    expect(objects.map(imageOf)).toEqual(['127.0.0.1:5000/qed-django:c-1a2b', '127.0.0.1:5000/qed-django:c-1a2b', 'quanted/redis:latest', 'mher/flower:latest']);
  });

  it('names the registry as the cluster reaches it when one is given', () => {
    const objects = [deployment('quanted/qed-django:latest'), deployment('quanted/redis:latest')];
    applyImageRefs(objects, refs, 'host.minikube.internal:5000');
    expect(objects.map(imageOf)).toEqual(['host.minikube.internal:5000/qed-django:c-1a2b', 'quanted/redis:latest']);
  });
});
