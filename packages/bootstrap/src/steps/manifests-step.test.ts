import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { QED_SERVICES } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { recordNoMinikubeProfile, planView, runStep, stepWorld } from '../__fixtures__/step-world.js';
import { manifestsStep, refsAsNodePulls, selectedServices } from './manifests-step.js';

/** .qed/images.json as the images step leaves it: one image built into the local registry, one remote. */
async function withImageRefs(file: string, registryHost: string) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ 'quanted/qed-django:latest': `${registryHost}/qed-django:c-1a2b`, 'quanted/redis:latest': 'quanted/redis:latest' }));
}
const djangoImages = (lines: readonly string[]) => lines.filter((l) => l.includes('qed-django:c-1a2b'));

describe('selectedServices', () => {
  it('--only wins; else the configured services when they are not all of them; else every service (undefined)', async () => {
    const { ctx } = await stepWorld();
    expect(selectedServices(ctx)).toBeUndefined();
    ctx.input.config.services = ['redis', 'mongodb'];
    expect(selectedServices(ctx)).toEqual(['redis', 'mongodb']);
    ctx.input.only = ['redis'];
    expect(selectedServices(ctx)).toEqual(['redis']);
    expect(QED_SERVICES.length).toBeGreaterThan(2);
  });
});

describe('refsAsNodePulls', () => {
  it('moves refs into the local registry to where the node reaches it, and leaves remote ones', () => {
    expect(
      refsAsNodePulls(
        { 'quanted/qed-django:latest': '127.0.0.1:5000/qed-django:c-1', 'quanted/redis:latest': 'quanted/redis:latest', other: '127.0.0.1:50000/x:1' },
        '127.0.0.1:5000',
        'host.minikube.internal:5000',
      ),
    ).toEqual({ 'quanted/qed-django:latest': 'host.minikube.internal:5000/qed-django:c-1', 'quanted/redis:latest': 'quanted/redis:latest', other: '127.0.0.1:50000/x:1' });
  });
});

describe('manifests step', () => {
  it('an existing context pulls the images as this machine pushed them', async () => {
    const { ctx } = await stepWorld({ target: { kind: 'context', context: 'kind-kind' }, registryHost: '127.0.0.1:5000' });
    await withImageRefs(ctx.paths.imagesFile, '127.0.0.1:5000');
    const plan = await planView(manifestsStep, ctx);
    expect(plan.summary).toMatch(new RegExp(`^render \\d+ objects \\(local profile, namespace qed-unit\\) into ${ctx.paths.manifestsDir}, then validate`));
    expect(djangoImages(plan.lines).length).toBeGreaterThan(0);
    expect(djangoImages(plan.lines).every((l) => l.includes('127.0.0.1:5000/qed-django:c-1a2b'))).toBe(true);
  });

  it('minikube with a VM driver pulls them from host.minikube.internal', async () => {
    const { ctx, runner, input } = await stepWorld({ registryHost: '127.0.0.1:5000', driver: 'virtualbox' });
    recordNoMinikubeProfile(runner, input.config.cluster.profile);
    await withImageRefs(ctx.paths.imagesFile, '127.0.0.1:5000');
    const lines = djangoImages((await planView(manifestsStep, ctx)).lines);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes('host.minikube.internal:5000/qed-django:c-1a2b') && !l.includes('127.0.0.1:5000'))).toBe(true);
  });

  it('only the selected services are rendered', async () => {
    const { ctx } = await stepWorld({ target: { kind: 'context', context: 'kind-kind' }, input: { only: ['redis'] } });
    const deployments = (await planView(manifestsStep, ctx)).lines.filter((l) => l.includes(': Deployment '));
    expect(deployments).toEqual(['redis.yaml: Deployment qed-unit/redis (quanted/redis:latest)']);
  });

  it('writes the render, then needs the cluster for the server\'s dry run', async () => {
    const { ctx } = await stepWorld({ target: { kind: 'context', context: 'kind-kind' } });
    await expect(runStep(manifestsStep, ctx)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    expect((await readdir(ctx.paths.manifestsDir)).length).toBeGreaterThan(0);
  });

  it('local profile: secret values missing from every source are generated in the plan, in memory, and saved by the apply only', async () => {
    const { ctx } = await stepWorld({ target: { kind: 'context', context: 'kind-kind' } });
    const plan = await manifestsStep.plan(ctx);
    expect(plan.secrets.generated.length).toBeGreaterThan(0);
    const view = manifestsStep.describe(plan, ctx);
    expect(view.lines).toContain(`generate ${plan.secrets.generated.join(', ')} into ${ctx.paths.secretsFile} (0600)`);
    // No value is shown, and planning wrote nothing.
    for (const key of plan.secrets.generated) expect(JSON.stringify(view)).not.toContain(plan.secrets.values[key] as string);
    await expect(readdir(path.dirname(ctx.paths.secretsFile))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(manifestsStep.apply(ctx, plan)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    const saved = await readFile(ctx.paths.secretsFile, 'utf8');
    for (const key of plan.secrets.generated) expect(saved).toContain(`${key}=${plan.secrets.values[key]}`);
  });

  it('a cloud profile with a secret no source has: the plan warns and shows every object; the apply stops with SECRETS_MISSING and writes nothing', async () => {
    const { ctx } = await stepWorld({ target: { kind: 'context', context: 'kind-kind' }, input: { profile: 'aws' } });
    const plan = await manifestsStep.plan(ctx);
    expect(plan.secrets.missing.length).toBeGreaterThan(0);
    expect(plan.secrets.generated).toEqual([]);
    const [first] = plan.secrets.missing;
    expect(manifestsStep.describe(plan, ctx).lines).toContain(
      `warning: secret ${first} has no value: set QED_SECRET_${first} or add ${first}=… to ${ctx.paths.secretsFile}; applying stops here until then`,
    );
    await expect(manifestsStep.apply(ctx, plan)).rejects.toMatchObject({ code: 'SECRETS_MISSING' });
    await expect(readdir(ctx.paths.manifestsDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
