import path from 'node:path';
import { detectPlatform, projectPaths, QED_SERVICES, QedError } from '@qed/core';
import {
  checkRenderPlan,
  formatProblem,
  formatRenderedFile,
  MANIFEST_PROFILES,
  type ManifestProfile,
  planRender,
  QED_MANIFESTS_DIR,
  readSecretValues,
  redactPlan,
  requiredSecretKeys,
  writeRender,
} from '@qed/manifests';
import { readImageRefs } from '@qed/images';
import type { CliContext, GlobalOptions } from '../cli-context.js';

interface RenderOptions extends GlobalOptions {
  profile?: string;
  registry?: string;
  only?: string;
  dataRoot?: string;
  out?: string;
  namespace?: string;
  secretsFile?: string;
  manifests?: string;
  imagesFile?: string;
  dryRun?: boolean;
}

/**
 * `qed-bootstrap manifests render`: the QED set for a profile, written to --out
 * (default .qed/manifests, where `apply` looks). Secret values go only into the
 * secret file, written 0600; --dry-run and --json print the plan with them masked.
 */
export async function run(ctx: CliContext, options: RenderOptions): Promise<number> {
  const { output } = ctx;
  const { config } = await ctx.loadConfig();
  const profile = (options.profile ?? 'local') as ManifestProfile;
  if (!MANIFEST_PROFILES.includes(profile)) {
    throw new QedError('RENDER_UNKNOWN_PROFILE', `unknown profile "${options.profile}"`, { hint: `Use one of: ${MANIFEST_PROFILES.join(', ')}.` });
  }
  const manifestsDir = options.manifests ? path.resolve(ctx.cwd, options.manifests) : QED_MANIFESTS_DIR;
  const only = options.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? (config.services.length < QED_SERVICES.length ? config.services : undefined);
  const paths = projectPaths(ctx);
  const secretsFile = path.resolve(ctx.cwd, options.secretsFile ?? paths.secretsFile);
  const keys = await requiredSecretKeys(manifestsDir);
  // A dry run prints secrets masked, so it needs no values and changes no secrets file.
  const secrets = options.dryRun
    ? { values: Object.fromEntries(keys.map((k) => [k, 'dry-run'])), generated: [] as string[], source: 'none (dry run)' }
    : await readSecretValues({ keys, env: ctx.env, secretsFile, profile, generateMissing: profile === 'local' });
  if (secrets.generated.length > 0) output.info(`generated ${secrets.generated.join(', ')} into ${secretsFile} (mode 0600)`);
  const imagesFile = path.resolve(ctx.cwd, options.imagesFile ?? paths.imagesFile);
  const imageRefs = await readImageRefs(imagesFile);
  if (imageRefs) output.info(`using the images pushed by \`qed-bootstrap images\` (${Object.keys(imageRefs).length} in ${imagesFile})`);
  const platform = await detectPlatform();
  const plan = await planRender({
    manifestsDir,
    profile,
    namespace: options.namespace ?? config.namespace,
    dataRoot: path.resolve(ctx.cwd, options.dataRoot ?? config.dataRoot),
    hostOs: platform.os,
    images: config.images,
    secrets: secrets.values,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(imageRefs ? { imageRefs } : {}),
    ...(only ? { only } : {}),
  });
  for (const warning of plan.warnings) output.warn(warning);
  const outDir = path.resolve(ctx.cwd, options.out ?? paths.manifestsDir);
  // Checked before anything is written, dry run included: what render would write must apply.
  const checked = await checkRenderPlan(plan, outDir);
  for (const warning of checked.warnings) output.warn(formatProblem(warning));
  if (options.dryRun) {
    const shown = redactPlan(plan);
    if (output.mode.json) output.json({ dryRun: true, profile, outDir, files: shown.files });
    else output.result(shown.files.map((f) => `# ${path.join(outDir, f.name)}\n${formatRenderedFile(f)}`).join('---\n').trimEnd());
    return 0;
  }
  const written = await writeRender(plan, outDir);
  if (output.mode.json) output.json({ profile, outDir, files: written, objects: plan.objects.length, secretsFrom: secrets.source });
  else output.result(`Rendered ${plan.objects.length} objects (${profile} profile) into ${outDir}. Next: npx qed-bootstrap apply --wait`);
  return 0;
}
