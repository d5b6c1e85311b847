import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertSnippet } from './convert-test-support.js';
import { registryOf, underRegistry } from './image-builds.js';

const COMPOSE = `services:
  app:
    build:
      context: ./app
      dockerfile: docker/Dockerfile.prod
      args: { VERSION: "1.2", EMPTY: }
      target: prod
  api:
    image: ghcr.io/me/api:2
    build: ./api
  redis:
    image: redis
`;

describe('--build local: what convert builds, named as the manifests name it', () => {
  it('lists each service with a build section, context and dockerfile resolved, args and target kept; no build warning with --push-image', async () => {
    const r = await convertSnippet(COMPOSE, { build: 'local', pushImage: true });
    expect(r.builds).toEqual([
      {
        service: 'app',
        image: 'app:latest',
        context: path.join(r.dir, 'app'),
        dockerfile: path.join(r.dir, 'app', 'docker', 'Dockerfile.prod'),
        args: { VERSION: '1.2' },
        target: 'prod',
        push: true,
        at: expect.objectContaining({ line: 2 }),
      },
      { service: 'api', image: 'ghcr.io/me/api:2', context: path.join(r.dir, 'api'), dockerfile: undefined, args: {}, target: undefined, push: true, at: expect.objectContaining({ line: 8 }) },
    ]);
    expect(r.container('app').image).toBe('app:latest');
    expect(r.messages.filter((m) => m.includes('.build:'))).toEqual([]);
  });

  it('--push-image-registry re-roots the built images, in the manifests too; images that are not built stay', async () => {
    const r = await convertSnippet(COMPOSE, { build: 'local', pushImage: true, pushImageRegistry: 'localhost:5000' });
    expect(r.builds.map((b) => b.image)).toEqual(['localhost:5000/app:latest', 'localhost:5000/me/api:2']);
    expect(r.container('app').image).toBe('localhost:5000/app:latest');
    expect(r.container('api').image).toBe('localhost:5000/me/api:2');
    expect(r.container('redis').image).toBe('redis');
  });

  it('without --push-image the build stays on this machine: warned', async () => {
    const r = await convertSnippet('services:\n  app:\n    build: .\n', { build: 'local' });
    expect(r.builds.map((b) => b.push)).toEqual([false]);
    expect(r.messages).toEqual(["services.app.build: app:latest is built into this machine's engine only: pass --push-image to push it where the cluster can pull it"]);
  });

  it('--build none (the default) builds nothing and warns, pointing at --build local', async () => {
    const r = await convertSnippet('services:\n  app:\n    build: .\n');
    expect(r.builds).toEqual([]);
    expect(r.messages[0]).toContain('--build local --push-image');
  });
});

describe('underRegistry, registryOf', () => {
  it.each([
    ['web:latest', 'reg:5000', 'reg:5000/web:latest'],
    ['me/web', 'reg:5000', 'reg:5000/me/web'],
    ['ghcr.io/me/web:1', 'reg:5000/team', 'reg:5000/team/me/web:1'],
    ['localhost/web:1', 'quay.io', 'quay.io/web:1'],
  ])('%s under %s is %s', (image, registry, expected) => {
    expect(underRegistry(image, registry)).toBe(expected);
  });

  it.each([
    ['web:latest', 'docker.io'],
    ['me/web', 'docker.io'],
    ['localhost:5000/web', 'localhost:5000'],
    ['ghcr.io/me/web:1', 'ghcr.io'],
  ])('the registry of %s is %s', (image, expected) => {
    expect(registryOf(image)).toBe(expected);
  });
});
