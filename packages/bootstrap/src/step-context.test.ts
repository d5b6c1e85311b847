import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultQedConfig } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import type { BootstrapDeps, BootstrapInput, StepContext } from './pipeline-types.js';
import { planView } from './__fixtures__/step-world.js';
import { createStepContext } from './step-context.js';
import { clusterStep } from './steps/cluster-step.js';
import { manifestsStep } from './steps/manifests-step.js';
import { registryStep } from './steps/registry-step.js';

const linux = async () => ({ os: 'linux' as const, arch: 'x64', cpuCount: 4, totalMemoryBytes: 16e9, freeDiskBytes: 1e11, diskPath: '/', homeDir: '/home/u' });

/** A minikube target on a machine with no profile yet; the doctor's findings are given, not run. */
async function minikubeWorld(driver: 'none' | 'virtualbox', minikube: 'installed' | 'missing' = 'installed', options: { dryRun?: boolean } = {}) {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-step-context-unit-'));
  const defaults = defaultQedConfig(cwd);
  // The none driver allows one profile only, minikube's default.
  const profile = driver === 'none' ? 'minikube' : 'qed';
  const input: BootstrapInput = {
    config: { ...defaults, cluster: { ...defaults.cluster, profile, driver }, registry: { host: '127.0.0.1:5058', name: 'registry-unit' } },
    target: { kind: 'minikube' },
    namespace: 'qed-unit',
    profile: 'local',
    consent: false,
    fixDockerConfig: false,
  };
  const runner = new FakeCommandRunner().on('docker', ['container', 'inspect', 'registry-unit'], { exitCode: 1, stderr: 'Error: No such container: registry-unit' });
  if (minikube === 'missing') runner.on('minikube', undefined, { notInstalled: true });
  else {
    runner
      .on('minikube', ['version', '-o', 'json'], { stdout: '{"commit":"c","minikubeVersion":"v1.38.1"}\n' })
      .on('minikube', ['profile', 'list', '-o', 'json'], { exitCode: 85, stderr: '* Exiting due to MK_USAGE_NO_PROFILE: No minikube profile was found.\n' })
      .on('minikube', ['status', '-p', profile, '-o', 'json'], { exitCode: 85, stdout: `* Profile "${profile}" not found. Run "minikube profile list" to view all profiles.\n` });
  }
  const deps: BootstrapDeps = { cwd, homeDir: cwd, env: {}, runner, platform: linux, connect: () => Promise.reject(new Error('no cluster in unit tests')) };
  const ctx = createStepContext(input, deps, new AbortController().signal, options);
  let doctorRuns = 0;
  ctx.doctor = async () => {
    doctorRuns++;
    return { ok: true, checks: [] };
  };
  // images.json as the images step leaves it: one ref into the local registry, one remote.
  await mkdir(path.dirname(ctx.paths.imagesFile), { recursive: true });
  await writeFile(ctx.paths.imagesFile, JSON.stringify({ 'quanted/qed-django:latest': '127.0.0.1:5058/qed-django:c-1a2b', 'quanted/redis:latest': 'quanted/redis:latest' }));
  return { ctx, runner, doctorRuns: () => doctorRuns };
}

/** Each step gets its own copy of the context, as the pipeline hands it out. */
const stepCopy = (ctx: StepContext): StepContext => ({ ...ctx, progress: () => undefined });

describe('the run\'s one cluster backend, minikube', () => {
  it('plans once (facts read once); the cluster, registry and manifests steps read that plan', async () => {
    const { ctx, runner, doctorRuns } = await minikubeWorld('none');
    const cluster = await planView(clusterStep, stepCopy(ctx));
    const registry = await planView(registryStep, stepCopy(ctx));
    const manifests = await planView(manifestsStep, stepCopy(ctx));
    expect(runner.commandLines.filter((c) => c.startsWith('minikube'))).toEqual([
      'minikube version -o json',
      'minikube profile list -o json',
      'minikube status -p minikube -o json',
    ]);
    expect(doctorRuns()).toBe(1);
    expect(await ctx.backend()).toBe(await stepCopy(ctx).backend());
    expect(await (await ctx.backend()).planUp()).toBe(await (await stepCopy(ctx).backend()).planUp());

    expect(cluster.summary).toBe('create minikube profile minikube');
    expect(cluster.lines.at(-1)).toBe('minikube start -p minikube --driver none --insecure-registry 127.0.0.1:5058    # create profile minikube with driver none');
    // On none the node is this machine: it pulls from the registry's own address.
    expect(registry.lines[2]).toBe('server-side apply ConfigMap kube-public/local-registry-hosting (the cluster pulls from 127.0.0.1:5058)');
    const images = manifests.lines.filter((l) => l.includes('qed-django:c-1a2b'));
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((l) => l.includes('127.0.0.1:5058/qed-django:c-1a2b'))).toBe(true);
  });

  it('with a VM driver the registry and the image refs are host.minikube.internal:PORT', async () => {
    const { ctx } = await minikubeWorld('virtualbox');
    const registry = await planView(registryStep, stepCopy(ctx));
    expect(registry.lines[2]).toBe('server-side apply ConfigMap kube-public/local-registry-hosting (the cluster pulls from host.minikube.internal:5058)');
    const manifests = await planView(manifestsStep, stepCopy(ctx));
    const images = manifests.lines.filter((l) => l.includes('qed-django:c-1a2b'));
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((l) => l.includes('host.minikube.internal:5058/qed-django:c-1a2b') && !l.includes('127.0.0.1:5058'))).toBe(true);
    expect(images.some((l) => l.includes('quanted/redis:latest'))).toBe(false);
  });

  it('a corrupt .qed/images.json stops the manifests step with the file named and how to write it again', async () => {
    const { ctx } = await minikubeWorld('none');
    await writeFile(ctx.paths.imagesFile, '{"quanted/qed-django:latest": ');
    const error = await planView(manifestsStep, stepCopy(ctx)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMAGE_REFS_INVALID', message: expect.stringContaining(`${ctx.paths.imagesFile} is not JSON`), hint: expect.stringContaining('--from images') });
  });

  it('a dry run still plans the registry step when the cluster cannot be planned yet; a run stops there', async () => {
    const { ctx } = await minikubeWorld('none', 'missing', { dryRun: true });
    const registry = await planView(registryStep, stepCopy(ctx));
    expect(registry.lines[0]).toMatch(/^docker run --detach --publish 127\.0\.0\.1:5058:5000 /);
    expect(registry.lines[2]).toBe('server-side apply ConfigMap kube-public/local-registry-hosting (where the node pulls from is known once the cluster step can be planned)');
    await expect((await ctx.backend()).planUp()).rejects.toMatchObject({ code: 'MINIKUBE_MISSING' });
    const run = await minikubeWorld('none', 'missing');
    await expect(registryStep.plan(stepCopy(run.ctx))).rejects.toMatchObject({ code: 'MINIKUBE_MISSING' });
  });
});
