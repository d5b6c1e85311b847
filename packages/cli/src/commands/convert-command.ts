import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  BIND_FILE_MODES,
  type BindFileMode,
  BUILD_MODES,
  type BuildMode,
  chartFiles,
  checkConvertedFiles,
  type ComposeWarning,
  type Controller,
  CONTROLLERS,
  convertedFiles,
  convertProject,
  formatLocated,
  formatStream,
  type ImageBuild,
  inNamespace,
  kubeName,
  loadCompose,
  registryOf,
  RUN_ONCE_KINDS,
  type RunOnceKind,
  SERVICE_GROUP_MODES,
  type ServiceGroupMode,
  VOLUME_MODES,
  type VolumeMode,
  withoutConvertAnnotations,
  writeConvertedFiles,
} from '@qed/compose';
import { describeCommand, mapLimit, type OperatingSystem, QedError } from '@qed/core';
import { applyImage, buildArgs, type BuildImage, DEFAULT_CONCURRENCY, type ImageResult } from '@qed/images';
import type { SourcedObject } from '@qed/manifests';
import { formatProblem, manifestsInvalid } from '@qed/manifests/checks';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, connect, resolveNamespace } from '../cluster-options.js';

interface ConvertCommandOptions extends GlobalOptions, ClusterOptions {
  file?: string[];
  replicas?: string;
  volumes?: string;
  controller?: string;
  envFile?: string;
  out?: string;
  stdout?: boolean;
  apply?: boolean;
  wait?: boolean;
  dryRun?: boolean;
  composeProfile?: string[];
  dataRoot?: string;
  bindFiles?: string;
  volumeSize?: string;
  revealSecrets?: boolean;
  chart?: boolean;
  generateNetworkPolicies?: boolean;
  runOnce?: string;
  pvcRequestSize?: string;
  serviceGroupMode?: string;
  serviceGroupName?: string;
  withKomposeAnnotation?: string | boolean;
  errorOnWarning?: boolean;
  build?: string;
  pushImage?: boolean;
  pushImageRegistry?: string;
}

/** The names docker compose looks for when no -f is given, in its order. */
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/**
 * `qed-bootstrap convert`: compose files to Kubernetes objects, one file per object
 * named as the guide names kompose's (qed-django-deployment.yml; .json with --json),
 * a Helm chart (--chart), or one stream; with --apply, applied through the same
 * validate-then-apply as `apply` (kompose up).
 */
export async function run(ctx: CliContext, options: ConvertCommandOptions): Promise<number> {
  const { output } = ctx;
  const volumes = oneOf<VolumeMode>('--volumes', options.volumes ?? 'persistentVolumeClaim', VOLUME_MODES);
  // Any case, as kompose reads it: replicationController, daemonSet.
  const controller = oneOf<Controller>('--controller', (options.controller ?? 'deployment').toLowerCase(), CONTROLLERS);
  const build = oneOf<BuildMode>('--build', options.build ?? 'none', BUILD_MODES);
  if (build !== 'local' && (options.pushImage || options.pushImageRegistry !== undefined)) {
    throw new QedError('USAGE', `${options.pushImage ? '--push-image' : '--push-image-registry'} pushes what --build local builds; without it nothing is built`, {
      hint: 'Add --build local, or leave out the push options.',
    });
  }
  const pushImageRegistry = options.pushImageRegistry?.replace(/\/+$/, '');
  if (pushImageRegistry !== undefined && !/^[A-Za-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/.test(pushImageRegistry)) {
    throw new QedError('USAGE', `--push-image-registry must be a registry host[:port] (with an optional path), not "${options.pushImageRegistry}"`, {
      hint: 'For example --push-image-registry localhost:5000 (no https://).',
    });
  }
  const bindFiles = oneOf<BindFileMode>('--bind-files', options.bindFiles ?? 'hostPath', BIND_FILE_MODES);
  const runOnce = oneOf<RunOnceKind>('--run-once', options.runOnce ?? 'job', RUN_ONCE_KINDS);
  const serviceGroupMode = oneOf<ServiceGroupMode>('--service-group-mode', options.serviceGroupMode ?? 'label', SERVICE_GROUP_MODES);
  const annotate = oneOf('--with-kompose-annotation', String(options.withKomposeAnnotation ?? true), ['true', 'false']) === 'true';
  if (options.volumeSize && options.pvcRequestSize && options.volumeSize !== options.pvcRequestSize) {
    throw new QedError('USAGE', `--volume-size ${options.volumeSize} and --pvc-request-size ${options.pvcRequestSize} say two sizes`, { hint: 'Pass one of them.' });
  }
  const replicas = options.replicas === undefined ? undefined : Number(options.replicas);
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 0)) {
    throw new QedError('USAGE', `--replicas must be a whole number, not "${options.replicas}"`, { hint: 'For example --replicas 2.' });
  }
  if (options.stdout && options.out) throw new QedError('USAGE', '--stdout and -o both say where to write', { hint: 'Pass one of them.' });
  if (options.chart && (options.stdout || options.apply)) {
    throw new QedError('USAGE', `--chart writes a chart folder; it does not go with ${options.stdout ? '--stdout' : '--apply'}`, {
      hint: 'Write the chart (--chart -o DIR) and install it with helm, or leave out --chart.',
    });
  }

  const files = options.file?.length ? options.file : [await defaultComposeFile(ctx.cwd)];
  const project = await loadCompose({
    files,
    env: ctx.env,
    cwd: ctx.cwd,
    ...(options.envFile ? { envFile: options.envFile } : {}),
    ...(options.composeProfile ? { profiles: options.composeProfile } : {}),
  });
  // The config is read only for what the flags leave open: the namespace a local
  // volume's claimRef names, and the data root of --volumes hostPath.
  const needsConfig = volumes === 'hostPath' && !options.dataRoot;
  const namespace = options.namespace ?? (options.dataRoot || options.apply || needsConfig ? await resolveNamespace(ctx, options) : 'default');
  const dataRoot = options.dataRoot ?? (needsConfig ? (await ctx.loadConfig()).config.dataRoot : undefined);
  const converted = await convertProject(project, {
    controller,
    volumes,
    bindFiles,
    namespace,
    os: hostOs(),
    homeDir: ctx.homeDir,
    volumeSize: options.volumeSize ?? options.pvcRequestSize ?? '1Gi',
    networkPolicies: options.generateNetworkPolicies === true,
    runOnce,
    serviceGroupMode,
    ...(options.serviceGroupName !== undefined ? { serviceGroupName: options.serviceGroupName } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
    ...(dataRoot ? { dataRoot: path.resolve(ctx.cwd, dataRoot) } : {}),
    build,
    pushImage: options.pushImage === true,
    ...(pushImageRegistry ? { pushImageRegistry } : {}),
  });
  const { warnings } = converted;
  // --namespace is written into the objects, as kompose writes it; otherwise they take the namespace they are applied in.
  const annotated = annotate ? converted.objects : withoutConvertAnnotations(converted.objects);
  const objects = options.namespace ? inNamespace(annotated, options.namespace) : annotated;
  for (const warning of warnings) output.warn(formatWarning(warning, ctx.cwd));
  if (options.errorOnWarning && warnings.length > 0) {
    throw new QedError('COMPOSE_WARNINGS', `${warnings.length} warning${warnings.length === 1 ? '' : 's'} above, and --error-on-warning makes each one an error: nothing was written or applied`, {
      hint: 'Change the compose file where each warning points, or leave out --error-on-warning.',
    });
  }
  // --json writes JSON manifests (kompose's -j) besides the JSON report; a chart is a folder of its own, named after the project.
  const format = options.json ? 'json' : 'yaml';
  const outDir = path.resolve(ctx.cwd, options.out ?? (options.chart ? kubeName(project.name) : '.'));
  const outputFiles = options.chart ? chartFiles(objects, { name: kubeName(path.basename(outDir)), project: project.name }) : convertedFiles(objects, format);
  // Checked before anything is written or applied, as render and migrate do (a chart as Helm renders it).
  const checked = await checkConvertedFiles(outputFiles, outDir);
  for (const warning of checked.warnings) output.warn(formatProblem(warning));
  if (checked.problems.length > 0) {
    throw manifestsInvalid(
      checked.problems,
      'converted manifests',
      'The compose file gives objects the API server would refuse: change the service named above (or report it with the compose file as a convert bug). Nothing was written or applied.',
    );
  }

  // Built (and pushed) before anything is written or applied: objects that name an image nobody built are not left behind.
  const builds = converted.builds.map((b) => ({ build: b, image: plannedBuild(b, pushImageRegistry) }));
  // With --stdout, stdout is the stream kubectl reads: progress goes to stderr.
  const progress = (message: string) => (options.stdout ? !output.mode.quiet && !output.mode.json && process.stderr.write(`${message}\n`) : output.info(message));
  if (builds.length > 0 && options.dryRun) {
    for (const { build: b, image } of builds) {
      progress(`would build ${image.ref} for service ${b.service}: ${describeCommand({ command: 'docker', args: buildArgs(image) })}${b.push ? `; then docker push ${image.ref}` : ''}`);
    }
  } else if (builds.length > 0) {
    const results = await mapLimit(builds, DEFAULT_CONCURRENCY, ({ build: b, image }) => {
      progress(`building ${image.ref} for service ${b.service}${b.push ? ' and pushing it' : ''}`);
      return applyImage(image, pushImageRegistry ?? registryOf(image.ref), { runner: ctx.runner, env: ctx.env });
    });
    throwOnFailedBuilds(ctx, builds.map((b) => b.build), results);
  }

  const written = [];
  if (options.stdout) {
    process.stdout.write(formatStream(objects, { revealSecrets: options.revealSecrets === true, format }));
    if (!options.revealSecrets && objects.some((o) => o.kind === 'Secret')) {
      output.warn('Secret values are masked in the stream; pass --reveal-secrets to print them (for piping into kubectl)');
    }
  } else if (options.out || options.chart || !options.apply) {
    await mkdir(outDir, { recursive: true });
    written.push(...(await writeConvertedFiles(outDir, outputFiles)));
  }

  if (options.apply) {
    // The Kubernetes client and the apply machinery load only when something is applied.
    const { applyObjects } = await import('./apply-command.js');
    const connecting = connect(options);
    connecting.catch(() => undefined);
    // kompose up deploys into a namespace that exists; ours makes it, as render's 00-namespace.yaml does.
    const namespaceObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
    const toApply = namespace === 'default' || objects.some((o) => o.kind === 'Namespace') ? objects : [namespaceObject, ...objects];
    const sourced: SourcedObject[] = toApply.map((object) => ({
      object,
      source: { file: `${object.metadata.name}-${object.kind.toLowerCase()}.yml`, documentIndex: 0, line: 1, lineOf: () => 1 },
    }));
    return applyObjects(ctx, connecting, sourced, {
      ...options,
      namespace,
      timeoutMs: 300_000,
      from: `the compose file${files.length > 1 ? 's' : ''} ${files.join(', ')}`,
    });
  }

  if (options.stdout) {
    // The stream is the output; the warnings went to stderr.
  } else if (output.mode.json) {
    output.json({
      ok: true,
      project: project.name,
      objects: objects.map((o) => ({ kind: o.kind, name: o.metadata.name })),
      files: written.map((w) => ({ file: path.relative(ctx.cwd, w.file) || w.file, change: w.change })),
      ...(builds.length > 0 ? { builds: builds.map(({ build: b }) => ({ service: b.service, image: b.image, pushed: b.push && !options.dryRun, built: !options.dryRun })) } : {}),
      warnings,
    });
  } else {
    const changed = written.filter((w) => w.change !== 'unchanged').length;
    output.result(
      `Converted ${project.services.length} services into ${objects.length} objects${options.chart ? ', a Helm chart' : ''}${builtSummary(converted.builds, options.dryRun === true)}: ${changed} file${changed === 1 ? '' : 's'} written, ${written.length - changed} unchanged, in ${outDir}` +
        (warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'} above)` : ''),
    );
  }
  return 0;
}

/** A compose build as the images package runs it: tagged as the manifests name it, pushed only with --push-image. */
function plannedBuild(b: ImageBuild, registry: string | undefined): BuildImage {
  const ref = b.image;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const tag = colon > lastSlash ? ref.slice(colon + 1) : 'latest';
  const withoutTag = colon > lastSlash ? ref.slice(0, colon) : ref;
  const host = registry ?? registryOf(ref);
  // The repository path inside the registry: what the registry's /v2/<name>/ API names.
  const name = withoutTag.startsWith(`${host}/`) ? withoutTag.slice(host.length + 1) : withoutTag;
  return {
    action: 'build',
    name,
    source: ref,
    ref,
    tag,
    context: b.context,
    dockerfile: b.dockerfile,
    args: b.args,
    target: b.target,
    reason: `build: of service ${b.service}`,
    push: b.push,
  };
}

/** Each failed build as `images push` reports it (the command to rerun, the log's tail); then one error, before anything is written. */
function throwOnFailedBuilds(ctx: CliContext, builds: readonly ImageBuild[], results: readonly ImageResult[]): void {
  const failed = results.map((r, i) => ({ result: r, build: builds[i] as ImageBuild })).filter(({ result }) => result.status === 'failed');
  if (failed.length === 0) return;
  for (const { result, build } of failed) {
    ctx.output.error(`service ${build.service}: ${result.error?.message ?? 'the build failed'}`);
    if (result.command) ctx.output.error(`  reproduce: ${result.command}`);
    if (result.logTail) ctx.output.error(`  ${result.logTail.split('\n').join('\n  ')}`);
  }
  const [first] = failed;
  const services = failed.map((f) => f.build.service).join(', ');
  throw new QedError(
    first?.result.error?.code ?? 'IMAGE_BUILD_FAILED',
    `the image of service${failed.length === 1 ? '' : 's'} ${services} could not be built or pushed: nothing was written or applied`,
    {
      hint: first?.result.error?.hint ?? (first?.result.command ? `Run \`${first.result.command}\` to see the whole output.` : 'Run the docker build above to see the whole output.'),
      data: { failed: failed.map((f) => ({ service: f.build.service, image: f.build.image, command: f.result.command, logTail: f.result.logTail })) },
      ...(first?.result.error ? { cause: first.result.error } : {}),
    },
  );
}

function builtSummary(builds: readonly ImageBuild[], dryRun: boolean): string {
  if (builds.length === 0) return '';
  const pushed = builds.filter((b) => b.push).length;
  const images = `${builds.length} image${builds.length === 1 ? '' : 's'}`;
  if (dryRun) return `, ${images} to build (dry run: not built)`;
  return `, ${images} built${pushed > 0 ? ` (${pushed} pushed)` : ''}`;
}

/** Only the path style matters here (Windows drives as /c/... on the node); WSL and Linux alike are POSIX. */
function hostOs(): OperatingSystem {
  return process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : 'linux';
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new QedError('USAGE', `${flag} must be one of ${allowed.join(', ')}, not "${value}"`, { hint: `For example ${flag} ${allowed[0]}.` });
}

async function defaultComposeFile(cwd: string): Promise<string> {
  for (const name of DEFAULT_FILES) {
    const file = path.join(cwd, name);
    if (await access(file).then(() => true, () => false)) return file;
  }
  throw new QedError('COMPOSE_NO_FILES', `no compose file in ${cwd} (looked for ${DEFAULT_FILES.join(', ')})`, {
    hint: 'Pass one with -f path/to/docker-compose.yml.',
  });
}

function formatWarning(w: ComposeWarning, cwd: string): string {
  return formatLocated({ ...w, file: path.relative(cwd, w.file) || w.file });
}
