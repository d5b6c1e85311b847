import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isQedError } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { capturedCliContext } from './captured-cli-context.test-support.js';
import { run } from './convert-command.js';

// A closed port on loopback: the registry's digest lookup fails at once and is not needed.
const REGISTRY = '127.0.0.1:9';
const COMPOSE = `services:
  app:
    build:
      context: ./app
      args: { VERSION: "1.2" }
  web:
    image: web-image:2
    build: { context: ./web, dockerfile: Dockerfile.dev, target: dev }
    ports: ["8080:80"]
  redis:
    image: redis
`;

async function project(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-convert-build-'));
  await writeFile(path.join(dir, 'docker-compose.yml'), COMPOSE);
  for (const sub of ['app', 'web']) await mkdir(path.join(dir, sub));
  return dir;
}

const context = (cwd: string, runner: FakeCommandRunner) => capturedCliContext(cwd, { runner });

describe('convert --build local', () => {
  it('builds each service with a build section tagged as its manifest names it (re-rooted by --push-image-registry), then pushes it', async () => {
    const dir = await project();
    const runner = new FakeCommandRunner().on('docker', undefined, { stdout: 'ok\n' });
    const { ctx, out } = context(dir, runner);
    expect(await run(ctx, { out: 'k8s', build: 'local', pushImage: true, pushImageRegistry: REGISTRY })).toBe(0);
    expect(runner.commandLines.sort()).toEqual(
      [
        `docker build -t ${REGISTRY}/app:latest --build-arg VERSION=1.2 ${path.join(dir, 'app')}`,
        `docker push ${REGISTRY}/app:latest`,
        `docker build -t ${REGISTRY}/web-image:2 -f ${path.join(dir, 'web', 'Dockerfile.dev')} --target dev ${path.join(dir, 'web')}`,
        `docker push ${REGISTRY}/web-image:2`,
      ].sort(),
    );
    // Each image is pushed after its own build.
    const lines = runner.commandLines;
    expect(lines.indexOf(`docker push ${REGISTRY}/app:latest`)).toBeGreaterThan(lines.indexOf(`docker build -t ${REGISTRY}/app:latest --build-arg VERSION=1.2 ${path.join(dir, 'app')}`));
    expect(await readFile(path.join(dir, 'k8s', 'app-deployment.yml'), 'utf8')).toContain(`image: ${REGISTRY}/app:latest`);
    expect(await readFile(path.join(dir, 'k8s', 'web-deployment.yml'), 'utf8')).toContain(`image: ${REGISTRY}/web-image:2`);
    expect(await readFile(path.join(dir, 'k8s', 'redis-deployment.yml'), 'utf8')).toContain('image: redis');
    expect(out.stdout).toContain('2 images built (2 pushed)');
    expect(out.stderr).not.toContain('build');
  });

  it('without --push-image builds only (warned), with the images named as written', async () => {
    const dir = await project();
    const runner = new FakeCommandRunner().on('docker', undefined, { stdout: 'ok\n' });
    const { ctx, out } = context(dir, runner);
    expect(await run(ctx, { out: 'k8s', build: 'local' })).toBe(0);
    expect(runner.commandLines).toEqual([
      `docker build -t app:latest --build-arg VERSION=1.2 ${path.join(dir, 'app')}`,
      `docker build -t web-image:2 -f ${path.join(dir, 'web', 'Dockerfile.dev')} --target dev ${path.join(dir, 'web')}`,
    ]);
    expect(out.stderr).toContain("app:latest is built into this machine's engine only: pass --push-image");
  });

  it('a failed build names the service, the command to rerun and the log tail, and nothing is written', async () => {
    const dir = await project();
    const appBuild = ['build', '-t', `${REGISTRY}/app:latest`, '--build-arg', 'VERSION=1.2', path.join(dir, 'app')];
    const runner = new FakeCommandRunner()
      .on('docker', undefined, { stdout: 'ok\n' })
      .on('docker', appBuild, { stdout: 'STEP 1/2: FROM scratch\nSTEP 2/2: COPY missing.txt /\n', stderr: 'copier: stat: "/missing.txt": no such file or directory\n', exitCode: 1 });
    const { ctx, out } = context(dir, runner);
    const error = await run(ctx, { out: 'k8s', build: 'local', pushImage: true, pushImageRegistry: REGISTRY }).catch((e: unknown) => e);
    expect(isQedError(error, 'IMAGE_BUILD_FAILED')).toBe(true);
    expect((error as Error).message).toBe('the image of service app could not be built or pushed: nothing was written or applied');
    expect(out.stderr).toContain('error: service app: docker build of app failed');
    expect(out.stderr).toContain(`reproduce: docker build -t ${REGISTRY}/app:latest --build-arg VERSION=1.2 ${path.join(dir, 'app')}`);
    expect(out.stderr).toContain('"/missing.txt": no such file or directory');
    expect(runner.commandLines).not.toContain(`docker push ${REGISTRY}/app:latest`);
    expect(await readdir(dir)).not.toContain('k8s');
  });

  it('--dry-run lists the builds and pushes without running docker', async () => {
    const dir = await project();
    const runner = new FakeCommandRunner();
    const { ctx, out } = context(dir, runner);
    expect(await run(ctx, { out: 'k8s', build: 'local', pushImage: true, pushImageRegistry: REGISTRY, dryRun: true })).toBe(0);
    expect(runner.calls).toEqual([]);
    expect(out.stdout).toContain(`would build ${REGISTRY}/app:latest for service app: docker build -t ${REGISTRY}/app:latest --build-arg VERSION=1.2 ${path.join(dir, 'app')}; then docker push ${REGISTRY}/app:latest`);
    expect(out.stdout).toContain('2 images to build (dry run: not built)');
  });

  it('push options without --build local are refused; --build takes none or local', async () => {
    const dir = await project();
    const { ctx } = context(dir, new FakeCommandRunner());
    await expect(run(ctx, { pushImage: true })).rejects.toThrow('--push-image pushes what --build local builds; without it nothing is built');
    await expect(run(ctx, { build: 'remote' })).rejects.toThrow('--build must be one of none, local, not "remote"');
    await expect(run(ctx, { build: 'local', pushImageRegistry: 'https://reg' })).rejects.toThrow('--push-image-registry must be a registry host[:port]');
  });

  it('--controller takes kompose\'s spelling replicationController', async () => {
    const dir = await project();
    const { ctx, out } = context(dir, new FakeCommandRunner());
    expect(await run(ctx, { out: 'k8s', controller: 'replicationController' })).toBe(0);
    expect(await readdir(path.join(dir, 'k8s'))).toContain('redis-replicationcontroller.yml');
    expect(out.stderr).toContain('Deployments supersede it');
  });
});
