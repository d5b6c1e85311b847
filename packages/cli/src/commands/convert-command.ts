import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  BIND_FILE_MODES,
  type BindFileMode,
  chartFiles,
  checkConvertedFiles,
  type ComposeWarning,
  type Controller,
  CONTROLLERS,
  convertedFiles,
  convertProject,
  formatLocated,
  formatStream,
  inNamespace,
  kubeName,
  loadCompose,
  RUN_ONCE_KINDS,
  type RunOnceKind,
  SERVICE_GROUP_MODES,
  type ServiceGroupMode,
  VOLUME_MODES,
  type VolumeMode,
  withoutConvertAnnotations,
  writeConvertedFiles,
} from '@qed/compose';
import { type OperatingSystem, QedError } from '@qed/core';
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
  const controller = oneOf<Controller>('--controller', options.controller ?? 'deployment', CONTROLLERS);
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
      warnings,
    });
  } else {
    const changed = written.filter((w) => w.change !== 'unchanged').length;
    output.result(
      `Converted ${project.services.length} services into ${objects.length} objects${options.chart ? ', a Helm chart' : ''}: ${changed} file${changed === 1 ? '' : 's'} written, ${written.length - changed} unchanged, in ${outDir}` +
        (warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'} above)` : ''),
    );
  }
  return 0;
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
