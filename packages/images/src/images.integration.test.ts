import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultQedConfig, type ImageConfig, type QedConfig, ProcessRunner } from '@qed/core';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, expect, it } from 'vitest';
import { makeTree } from './__fixtures__/test-helpers.js';
import { applyImages } from './apply-images.js';
import { planImages } from './plan-images.js';

describeOnTestenv('images: build, push and skip against podman and a real registry', (connection) => {
  const registry = connection.QED_TEST_REGISTRY;
  const env = { DOCKER_HOST: connection.DOCKER_HOST };
  const runner = new ProcessRunner({ env: { ...process.env, ...env } });
  const deps = { runner, env };
  // Unique per run, so parallel runs and earlier runs never make an image "already pushed".
  const prefix = `qed-images-it-${process.pid}-${Date.now().toString(36)}`;
  const names = ['alpha', 'beta', 'gamma'].map((n) => `${prefix}/${n}`);
  const cleanup: string[] = [];
  let root = '';

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
    for (const ref of cleanup) await runner.run({ command: 'docker', args: ['rmi', '-f', ref], env });
  });

  const config = (images: ImageConfig[]): QedConfig => ({
    ...defaultQedConfig('/home/u'),
    registry: { host: registry, name: 'registry' },
    images,
  });
  const threeImages = () =>
    names.map((name, i) => ({ name, source: `quanted/${name}:latest`, context: path.join(root, `ctx${i}`) }));
  const registryDigest = async (name: string, tag: string) => {
    const response = await fetch(`http://${registry}/v2/${name}/manifests/${tag}`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    expect(response.status).toBe(200);
    return response.headers.get('docker-content-digest');
  };

  it('builds and pushes three images with the digests the registry holds, then skips them all, then rebuilds only a changed one', async () => {
    root = await makeTree(
      Object.fromEntries(
        [0, 1, 2].flatMap((i) => [
          [`ctx${i}/Dockerfile`, 'FROM scratch\nCOPY data.txt /\n'],
          [`ctx${i}/data.txt`, `image ${i}\n`],
        ]),
      ),
    );

    const first = await planImages(config(threeImages()));
    expect(first.images.map((i) => i.action)).toEqual(['build', 'build', 'build']);
    const built = await applyImages(first, deps);
    for (const result of built) {
      expect(result.status, `${result.name}: ${result.error?.message}\n${result.logTail}`).toBe('built');
      if (result.ref) cleanup.push(result.ref);
    }

    const catalog = (await (await fetch(`http://${registry}/v2/_catalog?n=1000`)).json()) as { repositories: string[] };
    expect(catalog.repositories).toEqual(expect.arrayContaining(names));
    for (const result of built) {
      const tag = result.ref?.split(':').pop() ?? '';
      const tags = (await (await fetch(`http://${registry}/v2/${result.name}/tags/list`)).json()) as { tags: string[] };
      expect(tags.tags).toEqual([tag]);
      expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await registryDigest(result.name, tag)).toBe(result.digest);
    }

    // Unchanged: nothing to build or push, and docker is never called.
    const second = await planImages(config(threeImages()));
    expect(second.images.map((i) => i.action)).toEqual(['skip', 'skip', 'skip']);
    const calls: string[] = [];
    const counting = {
      run: (spec: Parameters<typeof runner.run>[0]) => {
        calls.push(spec.command);
        return runner.run(spec);
      },
    };
    const skipped = await applyImages(second, { runner: counting, env });
    expect(skipped.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(skipped.map((r) => r.digest)).toEqual(built.map((r) => r.digest));
    expect(calls).toEqual([]);

    // One file changes: only that image is rebuilt, under a new tag.
    await writeFile(path.join(root, 'ctx1/data.txt'), 'image 1, changed\n');
    const third = await planImages(config(threeImages()));
    expect(third.images.map((i) => i.action)).toEqual(['skip', 'build', 'skip']);
    const rebuilt = await applyImages(third, deps);
    expect(rebuilt.map((r) => r.status)).toEqual(['skipped', 'built', 'skipped']);
    if (rebuilt[1]?.ref) cleanup.push(rebuilt[1].ref);
    expect(rebuilt[1]?.ref).not.toBe(built[1]?.ref);
    expect(await registryDigest(names[1] ?? '', rebuilt[1]?.ref?.split(':').pop() ?? '')).toBe(rebuilt[1]?.digest);
  });

  it('fails a broken image with its log tail and reproduce command while the others succeed; an absent context is reported', async () => {
    const base = await makeTree({
      'good/Dockerfile': 'FROM scratch\nCOPY ok.txt /\n',
      'good/ok.txt': `ok ${prefix}\n`,
      'broken/Dockerfile': 'FROM scratch\nCOPY missing.txt /\n',
      'broken/present.txt': `present ${prefix}\n`,
    });
    try {
      const plan = await planImages(
        config([
          { name: `${prefix}/broken`, source: 'quanted/broken:latest', context: path.join(base, 'broken') },
          { name: `${prefix}/good`, source: 'quanted/good:latest', context: path.join(base, 'good') },
          { name: `${prefix}/absent`, source: 'quanted/absent:latest', context: path.join(base, 'absent') },
        ]),
      );
      expect(plan.images.map((i) => i.action)).toEqual(['build', 'build', 'missing-context']);
      const [broken, good, absent] = await applyImages(plan, deps);
      if (good?.ref) cleanup.push(good.ref);
      expect(broken?.status).toBe('failed');
      expect(broken?.error?.code).toBe('IMAGE_BUILD_FAILED');
      expect(broken?.command).toBe(`docker build -t ${broken?.ref} ${path.join(base, 'broken')}`);
      expect(broken?.logTail).toContain('missing.txt');
      expect(good?.status).toBe('built');
      expect(good?.digest).toMatch(/^sha256:/);
      expect(absent).toMatchObject({ status: 'missing-context', source: 'quanted/absent:latest' });
      // The reproduce command really reproduces the failure.
      const [command, ...args] = broken?.command?.split(' ') ?? [];
      const rerun = await runner.run({ command: command ?? 'docker', args, env });
      expect(rerun.exitCode).not.toBe(0);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
