import { QED_SERVICES } from '@qed/core';
import { Discovery } from '@qed/kube';
import {
  checkRenderPlan,
  describeObject,
  manifestsInvalid,
  planRender,
  QED_MANIFESTS_DIR,
  type RenderPlan,
  readSecretValues,
  renderedObjects,
  requiredSecretKeys,
  type SourcedObject,
  validateManifests,
  writeRender,
} from '@qed/manifests';
import { readImageRefs } from '@qed/images';
import type { BootstrapStep, StepContext } from '../pipeline-types.js';

/** The services to render: --only, else config.services when it is not all of them. */
export function selectedServices(ctx: StepContext): string[] | undefined {
  if (ctx.input.only) return [...ctx.input.only];
  const { services } = ctx.input.config;
  return services.length < QED_SERVICES.length ? [...services] : undefined;
}

/** render (the QED set for the profile, images from .qed/images.json), then validate offline and by the server's dry run. */
export const manifestsStep: BootstrapStep = {
  id: 'manifests',
  title: 'Manifests: render and validate',
  async plan(ctx) {
    const keys = await requiredSecretKeys(QED_MANIFESTS_DIR);
    // A plan needs no secret values: placeholders, never printed (render masks them anyway).
    const plan = await render(ctx, Object.fromEntries(keys.map((k) => [k, 'dry-run'])));
    return {
      summary: `render ${plan.objects.length} objects (${ctx.input.profile} profile, namespace ${ctx.input.namespace}) into ${ctx.paths.manifestsDir}, then validate them offline and by the server's dry run`,
      lines: [...plan.warnings.map((w) => `warning: ${w}`), ...plan.files.flatMap((file) => file.objects.map((o) => `${file.name}: ${describeObject(o)}${imagesOf(o)}`))],
    };
  },
  async apply(ctx) {
    const keys = await requiredSecretKeys(QED_MANIFESTS_DIR);
    const secrets = await readSecretValues({
      keys,
      env: ctx.deps.env,
      secretsFile: ctx.paths.secretsFile,
      profile: ctx.input.profile,
      generateMissing: ctx.input.profile === 'local',
    });
    const plan = await render(ctx, secrets.values);
    // Checked before anything is written; the objects checked are the text written, read back.
    const { objects, offline } = await checkRenderPlan(plan, ctx.paths.manifestsDir);
    await writeRender(plan, ctx.paths.manifestsDir);
    const { api } = await ctx.cluster();
    const report = await validateManifests(objects, { target: { api, discovery: new Discovery(api) }, namespace: ctx.input.namespace, offline });
    if (report.problems.length > 0) throw manifestsInvalid(report.problems);
    const generated = secrets.generated.length ? `; generated ${secrets.generated.length} secret values into ${ctx.paths.secretsFile}` : '';
    return { detail: `${plan.objects.length} objects (${ctx.input.profile} profile) in ${ctx.paths.manifestsDir}, valid${report.checkedOnServer ? ' on the server too' : ''}${generated}` };
  },
};

/**
 * The set as the manifests step would write it, with placeholder secrets: what the
 * apply and wait steps plan against when nothing is rendered yet (--dry-run).
 */
export async function previewObjects(ctx: StepContext): Promise<SourcedObject[]> {
  const keys = await requiredSecretKeys(QED_MANIFESTS_DIR);
  const plan = await render(ctx, Object.fromEntries(keys.map((k) => [k, 'dry-run'])));
  return renderedObjects(plan, ctx.paths.manifestsDir);
}

async function render(ctx: StepContext, secrets: Record<string, string>): Promise<RenderPlan> {
  const only = selectedServices(ctx);
  const refs = await readImageRefs(ctx.paths.imagesFile);
  return planRender({
    manifestsDir: QED_MANIFESTS_DIR,
    profile: ctx.input.profile,
    namespace: ctx.input.namespace,
    dataRoot: ctx.input.config.dataRoot,
    hostOs: (await ctx.platform()).os,
    images: ctx.input.config.images,
    secrets,
    ...(refs ? { imageRefs: await refsForTarget(ctx, refs) } : {}),
    ...(only ? { only } : {}),
  });
}

/** The refs as the cluster's nodes pull them, as its backend knows; as they are when it does not know. */
async function refsForTarget(ctx: StepContext, refs: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const registryHost = ctx.input.config.registry.host;
  const answer = await (await ctx.backend()).registryHosting(registryHost);
  return answer.hosting === null ? { ...refs } : refsAsNodePulls(refs, registryHost, answer.hosting.hostFromContainerRuntime);
}

/**
 * The refs name the registry as this machine pushes to it (registry.host, e.g.
 * 127.0.0.1:PORT); the node may reach it at another address (inside a VM or a node
 * container 127.0.0.1 is the node itself: host.minikube.internal:PORT). Refs into
 * the local registry are moved to `nodeHost`; remote images are left as they are.
 */
export function refsAsNodePulls(refs: Readonly<Record<string, string>>, registryHost: string, nodeHost: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(refs).map(([source, ref]) => [source, ref.startsWith(`${registryHost}/`) ? `${nodeHost}/${ref.slice(registryHost.length + 1)}` : ref]),
  );
}

function imagesOf(object: object): string {
  const images = JSON.stringify((object as { spec?: unknown }).spec ?? {}).match(/"image":"[^"]+"/g) ?? [];
  return images.length ? ` (${[...new Set(images.map((i) => i.slice(9, -1)))].join(', ')})` : '';
}
