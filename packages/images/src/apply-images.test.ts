import type { CommandResult, CommandRunner, CommandSpec } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { fakeRegistry } from './__fixtures__/test-helpers.js';
import { applyImages, type ImageEvent } from './apply-images.js';
import type { BuildImage, ImagePlan } from './plan-images.js';

const REGISTRY = '127.0.0.1:5000';
const DIGEST = `sha256:${'c'.repeat(64)}`;

function build(name: string, extra: Partial<BuildImage> = {}): BuildImage {
  return {
    action: 'build',
    name,
    source: `quanted/${name}:latest`,
    ref: `${REGISTRY}/${name}:c-0123`,
    tag: 'c-0123',
    context: `/ctx/${name}`,
    dockerfile: undefined,
    args: {},
    target: undefined,
    reason: 'changed',
    ...extra,
  };
}

// Recorded from docker 28 against podman 4.3's Docker API.
const BUILD_OK = {
  stdout:
    'Sending build context to Docker daemon  3.072kB\nSTEP 1/2: FROM scratch\nSTEP 2/2: COPY a.txt /\nCOMMIT x\n--> 8285940a054\nSuccessfully built 8285940a0547\n',
};
const pushOk = (tag: string) => ({ stdout: `The push refers to repository [x]\n${tag}: digest: ${DIGEST} size: 420\n` });
const BUILD_BROKEN = {
  stdout: 'Sending build context to Docker daemon  4.096kB\nSTEP 1/2: FROM scratch\nSTEP 2/2: COPY missing.txt /\n',
  stderr:
    'building at STEP "COPY missing.txt /": checking on sources under "/var/tmp/libpod_builder798945363/build": copier: stat: "/missing.txt": no such file or directory\n',
  exitCode: 1,
};

describe('applyImages', () => {
  it('builds with -t, -f, sorted --build-arg, --target and the context, then pushes; reports the registry digest', async () => {
    const image = build('django', { dockerfile: '/ctx/django/docker/Dockerfile.prod', args: { B: '2', A: '1' }, target: 'prod' });
    const runner = new FakeCommandRunner().on('docker', undefined, BUILD_OK).on('docker', ['push', image.ref], pushOk('c-0123'));
    const http = fakeRegistry({ 'django:c-0123': 'sha256:fromregistry' });
    const [result] = await applyImages({ registry: REGISTRY, images: [image] }, { runner, http, env: { DOCKER_HOST: 'unix:///u.sock' } });
    expect(runner.commandLines).toEqual([
      `docker build -t ${image.ref} -f /ctx/django/docker/Dockerfile.prod --build-arg A=1 --build-arg B=2 --target prod /ctx/django`,
      `docker push ${image.ref}`,
    ]);
    // The user's engine selection is passed through as given, never replaced.
    expect(runner.calls.map((c) => c.env)).toEqual([{ DOCKER_HOST: 'unix:///u.sock' }, { DOCKER_HOST: 'unix:///u.sock' }]);
    expect(result).toMatchObject({ name: 'django', status: 'built', ref: image.ref, digest: 'sha256:fromregistry' });
  });

  it('with push: false builds only: no push, no registry lookup', async () => {
    const image = build('app', { push: false });
    const runner = new FakeCommandRunner().on('docker', ['build', '-t', image.ref, '/ctx/app'], BUILD_OK);
    const http = { request: async () => Promise.reject(new Error('the registry must not be asked')) };
    const [result] = await applyImages({ registry: REGISTRY, images: [image] }, { runner, http });
    expect(runner.commandLines).toEqual([`docker build -t ${image.ref} /ctx/app`]);
    expect(result).toMatchObject({ name: 'app', status: 'built', ref: image.ref });
    expect(result?.digest).toBeUndefined();
  });

  it('falls back to the digest docker push printed when the registry cannot be asked', async () => {
    const image = build('a');
    const runner = new FakeCommandRunner().on('docker', undefined, BUILD_OK).on('docker', ['push', image.ref], pushOk('c-0123'));
    const http = { request: async () => Promise.reject(new Error('down')) };
    const [result] = await applyImages({ registry: REGISTRY, images: [image] }, { runner, http });
    expect(result?.digest).toBe(DIGEST);
  });

  it('mirrors with pull, tag, push', async () => {
    const runner = new FakeCommandRunner().on('docker', undefined, { stdout: '' });
    const ref = `${REGISTRY}/postgis:11`;
    const [result] = await applyImages(
      { registry: REGISTRY, images: [{ action: 'mirror', name: 'postgis', source: 'mdillon/postgis:11', ref, reason: 'mirror' }] },
      { runner, http: fakeRegistry({ 'postgis:11': 'sha256:m' }) },
    );
    expect(runner.commandLines).toEqual(['docker pull mdillon/postgis:11', `docker tag mdillon/postgis:11 ${ref}`, `docker push ${ref}`]);
    expect(result).toMatchObject({ status: 'mirrored', digest: 'sha256:m' });
  });

  it('keeps the log tail and the reproduce command of a failed build, and the others still succeed', async () => {
    const bad = build('bad');
    const good = build('good');
    const runner = new FakeCommandRunner()
      .on('docker', undefined, BUILD_OK)
      .on('docker', ['build', '-t', bad.ref, bad.context], BUILD_BROKEN)
      .on('docker', ['push', good.ref], pushOk('c-0123'));
    const results = await applyImages({ registry: REGISTRY, images: [bad, good] }, { runner, http: fakeRegistry() });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['bad', 'failed'],
      ['good', 'built'],
    ]);
    const [failed] = results;
    expect(failed?.command).toBe(`docker build -t ${bad.ref} /ctx/bad`);
    expect(failed?.logTail).toContain('STEP 2/2: COPY missing.txt /');
    expect(failed?.logTail).toContain('"/missing.txt": no such file or directory');
    expect(failed?.error?.code).toBe('IMAGE_BUILD_FAILED');
    expect(failed?.error?.hint).toContain(failed?.command);
    // Nothing is pushed for a failed build.
    expect(runner.commandLines).not.toContain(`docker push ${bad.ref}`);
  });

  it('masks secret build args and known secrets in the command and the log', async () => {
    const image = build('a', { args: { PIP_TOKEN: 'tok-123456' } });
    const runner = new FakeCommandRunner().on('docker', undefined, { stdout: 'using tok-123456 and hunter22\n', exitCode: 1 });
    const events: ImageEvent[] = [];
    const [result] = await applyImages(
      { registry: REGISTRY, images: [image] },
      { runner, http: fakeRegistry(), secrets: ['hunter22'] },
      { onEvent: (e) => events.push(e) },
    );
    const everything = JSON.stringify({ result, events, message: result?.error?.message });
    expect(everything).not.toContain('tok-123456');
    expect(everything).not.toContain('hunter22');
    expect(result?.command).toBe(`docker build -t ${image.ref} --build-arg PIP_TOKEN=*** /ctx/a`);
    expect(runner.calls[0]?.secrets).toEqual(['hunter22', 'tok-123456']);
  });

  it.each([
    [
      'engine unreachable',
      'build',
      { stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n', exitCode: 1 },
      'DOCKER_ENGINE_UNREACHABLE',
      'DOCKER_HOST',
    ],
    [
      'registry over HTTP',
      'push',
      {
        stderr:
          'Get "https://192.168.49.1:5000/v2/": http: server gave HTTP response to HTTPS client\n',
        exitCode: 1,
      },
      'REGISTRY_NEEDS_INSECURE',
      '127.0.0.1',
    ],
    [
      'registry down during push',
      'push',
      {
        stderr: 'pinging container registry 127.0.0.1:5000: Get "https://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused\n',
        exitCode: 1,
      },
      'REGISTRY_UNREACHABLE',
      'qed-bootstrap registry up',
    ],
  ])('classifies %s', async (_what, step, answer, code, hintPart) => {
    const image = build('a');
    const runner = new FakeCommandRunner().on('docker', undefined, step === 'build' ? answer : BUILD_OK);
    if (step === 'push') runner.on('docker', ['push', image.ref], answer);
    const [result] = await applyImages({ registry: REGISTRY, images: [image] }, { runner, http: fakeRegistry() });
    expect(result?.status).toBe('failed');
    expect(result?.error?.code).toBe(code);
    expect(result?.error?.hint).toContain(hintPart);
  });

  it('reports docker missing', async () => {
    const runner = new FakeCommandRunner().on('docker', undefined, { notInstalled: true });
    const [result] = await applyImages({ registry: REGISTRY, images: [build('a')] }, { runner, http: fakeRegistry() });
    expect(result?.error?.code).toBe('DOCKER_MISSING');
    expect(result?.error?.hint).toContain('Install Docker');
  });

  it('passes skip, keep-remote and missing-context through without running docker', async () => {
    const runner = new FakeCommandRunner();
    const plan: ImagePlan = {
      registry: REGISTRY,
      images: [
        { action: 'skip', name: 's', source: 'x/s', ref: `${REGISTRY}/s:c-1`, tag: 'c-1', digest: 'sha256:s', reason: 'unchanged' },
        { action: 'keep-remote', name: 'k', source: 'x/k', reason: 'no context' },
        { action: 'missing-context', name: 'm', source: 'x/m', context: '/nope', reason: 'absent' },
      ],
    };
    const results = await applyImages(plan, { runner });
    expect(results.map((r) => r.status)).toEqual(['skipped', 'kept-remote', 'missing-context']);
    expect(results[0]).toMatchObject({ ref: `${REGISTRY}/s:c-1`, digest: 'sha256:s' });
    expect(runner.calls).toHaveLength(0);
  });

  it('never runs more builds at once than the concurrency limit', async () => {
    // Every docker call blocks until the test opens the gate: if a third build could
    // start while two are held, `running` would reach 3 below.
    const fake = new FakeCommandRunner().on('docker', undefined, BUILD_OK);
    let running = 0;
    let peak = 0;
    const waiting: Array<() => void> = [];
    const gated: CommandRunner = {
      async run(spec: CommandSpec): Promise<CommandResult> {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((release) => waiting.push(release));
        running--;
        return fake.run(spec);
      },
    };
    const images = ['a', 'b', 'c', 'd', 'e'].map((n) => build(n));
    const done = applyImages({ registry: REGISTRY, images }, { runner: gated, http: fakeRegistry() }, { concurrency: 2 });
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    };
    await settle();
    expect(running).toBe(2);
    // Release one call at a time until everything has run; the peak must never pass 2.
    while (waiting.length > 0) {
      waiting.shift()?.();
      await settle();
      expect(running).toBeLessThanOrEqual(2);
    }
    const results = await done;
    expect(results.every((r) => r.status === 'built')).toBe(true);
    expect(peak).toBe(2);
    expect(fake.calls).toHaveLength(10);
  });
});
