import { QED_SERVICES, refAsNodePulls } from '@qed/core';
import { Discovery } from '@qed/kube';
import {
  checkRenderPlan,
  describeObject,
  manifestsInvalid,
  type OfflineResult,
  planRender,
  planSecretValues,
  QED_MANIFESTS_DIR,
  type RenderPlan,
  requiredSecretKeys,
  SECRET_ENV_PREFIX,
  type SecretValuesPlan,
  type SourcedObject,
  saveGeneratedSecrets,
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

/** The render as it will be written, checked offline; secret values inside, never shown. */
export interface ManifestsStepPlan {
  render: RenderPlan;
  secrets: SecretValuesPlan;
  /** The objects as written text reads back, and the offline checks' result for them. */
  objects: SourcedObject[];
  offline: OfflineResult;
}

/** Stands in for a secret no source has (not the local profile): the plan still shows every object; apply stops first. */
const NO_VALUE_YET = 'missing';

/** render (the QED set for the profile, images as the images step hands them over), then validate offline and by the server's dry run. */
export const manifestsStep: BootstrapStep<ManifestsStepPlan> = {
  id: 'manifests',
  title: 'Manifests: render and validate',
  async plan(ctx) {
    const secrets = await planSecretValues({
      keys: await requiredSecretKeys(QED_MANIFESTS_DIR),
      env: ctx.deps.env,
      secretsFile: ctx.paths.secretsFile,
      profile: ctx.input.profile,
      generateMissing: ctx.input.profile === 'local',
    });
    const values = { ...Object.fromEntries(secrets.missing.map((key) => [key, NO_VALUE_YET])), ...secrets.values };
    const render = await renderSet(ctx, values);
    // Checked before anything is written; the objects checked are the text written, read back.
    const { objects, offline } = await checkRenderPlan(render, ctx.paths.manifestsDir);
    ctx.handoff.rendered = { objects, validated: false };
    return { render, secrets, objects, offline };
  },
  describe(plan, ctx) {
    const unresolved = plan.secrets.missing.filter((key) => !plan.secrets.generated.includes(key));
    return {
      summary: `render ${plan.render.objects.length} objects (${ctx.input.profile} profile, namespace ${ctx.input.namespace}) into ${ctx.paths.manifestsDir}, then validate them offline and by the server's dry run`,
      lines: [
        ...unresolved.map((key) => `warning: secret ${key} has no value: set ${SECRET_ENV_PREFIX}${key} or add ${key}=… to ${ctx.paths.secretsFile}; applying stops here until then`),
        ...(plan.secrets.generated.length ? [`generate ${plan.secrets.generated.join(', ')} into ${ctx.paths.secretsFile} (0600)`] : []),
        ...plan.render.warnings.map((w) => `warning: ${w}`),
        ...plan.render.files.flatMap((file) => file.objects.map((o) => `${file.name}: ${describeObject(o)}${imagesOf(o)}`)),
      ],
    };
  },
  async apply(ctx, plan) {
    const secrets = await saveGeneratedSecrets(plan.secrets, { profile: ctx.input.profile, generateMissing: ctx.input.profile === 'local' });
    await writeRender(plan.render, ctx.paths.manifestsDir);
    const { api } = await ctx.cluster();
    const report = await validateManifests(plan.objects, { target: { api, discovery: new Discovery(api) }, namespace: ctx.input.namespace, offline: plan.offline });
    if (report.problems.length > 0) throw manifestsInvalid(report.problems);
    ctx.handoff.rendered = { objects: plan.objects, validated: report.checkedOnServer };
    const generated = secrets.generated.length ? `; generated ${secrets.generated.length} secret values into ${ctx.paths.secretsFile}` : '';
    return { detail: `${plan.render.objects.length} objects (${ctx.input.profile} profile) in ${ctx.paths.manifestsDir}, valid${report.checkedOnServer ? ' on the server too' : ''}${generated}` };
  },
};

async function renderSet(ctx: StepContext, secrets: Record<string, string>): Promise<RenderPlan> {
  const only = selectedServices(ctx);
  const refs = ctx.handoff.imageRefs ?? (await readImageRefs(ctx.paths.imagesFile));
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

/** Every ref as the node pulls it (refAsNodePulls): local ones moved to `nodeHost`, remote ones as they are. */
export function refsAsNodePulls(refs: Readonly<Record<string, string>>, registryHost: string, nodeHost: string): Record<string, string> {
  return Object.fromEntries(Object.entries(refs).map(([source, ref]) => [source, refAsNodePulls(ref, registryHost, nodeHost)]));
}

function imagesOf(object: object): string {
  const images = JSON.stringify((object as { spec?: unknown }).spec ?? {}).match(/"image":"[^"]+"/g) ?? [];
  return images.length ? ` (${[...new Set(images.map((i) => i.slice(9, -1)))].join(', ')})` : '';
}
