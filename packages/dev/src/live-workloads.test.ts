import { describe, expect, it } from 'vitest';
import { imageRepository } from './live-workloads.js';

describe('imageRepository', () => {
  it.each([
    ['127.0.0.1:5050/qed-django:c-1a2b', '127.0.0.1:5050/qed-django'],
    ['127.0.0.1:5050/qed-django', '127.0.0.1:5050/qed-django'],
    ['host.minikube.internal:5000/team/qed-django:c-1@sha256:abc', 'host.minikube.internal:5000/team/qed-django'],
    ['quanted/qed-django:latest', 'quanted/qed-django'],
    ['redis', 'redis'],
  ])('%s -> %s', (ref, repository) => {
    expect(imageRepository(ref)).toBe(repository);
  });
});
