import { describe, expect, it } from 'vitest';
import { canonicalRepository, parseImageRef, sourceTag } from './rewrite-images.js';

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
