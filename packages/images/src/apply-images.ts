import {
  type CommandRunner,
  type CommandSpec,
  describeCommand,
  isQedError,
  looksLikeSecretName,
  mapLimit,
  QedError,
  redactSecrets,
  tailLines,
} from '@qed/core';
import type { BuildImage, ImageAction, ImagePlan, MirrorImage, PlannedImage } from './plan-images.js';
import { fetchHttpClient, type HttpClient, lookupManifest, registryUnreachable } from './registry-client.js';

export interface ApplyImagesDeps {
  runner: CommandRunner;
  /** Default: fetch. Used to read the pushed manifest's digest back from the registry. */
  http?: HttpClient;
  /**
   * Added to docker's environment. Taken as given: DOCKER_HOST and DOCKER_CONTEXT are
   * the user's choice and are never set or cleared here.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values never to print (registry credentials, secret build args). */
  secrets?: readonly string[];
  /** Per docker command. Default 30 minutes: real QED images take long to build. */
  timeoutMs?: number;
}

export type ImageEvent =
  | { type: 'start'; name: string; action: ImageAction }
  | { type: 'step'; name: string; step: 'build' | 'pull' | 'tag' | 'push'; command: string }
  | { type: 'output'; name: string; chunk: string; stream: 'stdout' | 'stderr' }
  | { type: 'done'; result: ImageResult };

export interface ApplyImagesOptions {
  /** How many images build at once. Default 2. */
  concurrency?: number;
  onEvent?: (event: ImageEvent) => void;
}

export type ImageStatus = 'built' | 'skipped' | 'kept-remote' | 'missing-context' | 'mirrored' | 'failed';

export interface ImageResult {
  name: string;
  source: string;
  action: ImageAction;
  status: ImageStatus;
  /** The local ref (built, skipped, mirrored, or the one that failed). */
  ref?: string;
  /** The manifest digest in the registry. */
  digest?: string;
  reason?: string;
  durationMs: number;
  /** Failed only: what went wrong, with code and hint. */
  error?: QedError;
  /** Failed only: the command that failed, pasteable into a shell (secrets masked). */
  command?: string;
  /** Failed only: the last lines of that command's output (secrets masked). */
  logTail?: string;
}

export const DEFAULT_CONCURRENCY = 2;
const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/**
 * Builds and pushes (or mirrors) what the plan says, a few at a time. Never throws for
 * one image: each failure is a result that keeps its log tail and the command to rerun,
 * and the others carry on. Results come back in plan order.
 */
export async function applyImages(plan: ImagePlan, deps: ApplyImagesDeps, options: ApplyImagesOptions = {}): Promise<ImageResult[]> {
  return mapLimit(plan.images, options.concurrency ?? DEFAULT_CONCURRENCY, (image) => applyImage(image, plan.registry, deps, options.onEvent));
}

/** One image of a plan; what applyImages and the listr tasks both run. */
export async function applyImage(
  image: PlannedImage,
  registry: string,
  deps: ApplyImagesDeps,
  onEvent?: (event: ImageEvent) => void,
): Promise<ImageResult> {
  const started = performance.now();
  onEvent?.({ type: 'start', name: image.name, action: image.action });
  const base = { name: image.name, source: image.source, action: image.action, reason: image.reason };
  let result: ImageResult;
  switch (image.action) {
    case 'skip':
      result = { ...base, status: 'skipped', ref: image.ref, ...(image.digest ? { digest: image.digest } : {}), durationMs: 0 };
      break;
    case 'keep-remote':
      result = { ...base, status: 'kept-remote', durationMs: 0 };
      break;
    case 'missing-context':
      result = { ...base, status: 'missing-context', durationMs: 0 };
      break;
    case 'build':
    case 'mirror':
      result = await buildOrMirror(image, registry, deps, onEvent);
      result.durationMs = Math.round(performance.now() - started);
      break;
  }
  onEvent?.({ type: 'done', result });
  return result;
}

/** `docker build` argv for a planned image. */
export function buildArgs(image: BuildImage): string[] {
  const args = ['build', '-t', image.ref];
  if (image.dockerfile) args.push('-f', image.dockerfile);
  for (const [key, value] of Object.entries(image.args).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    args.push('--build-arg', `${key}=${value}`);
  }
  if (image.target) args.push('--target', image.target);
  args.push(image.context);
  return args;
}

type Step = { step: 'build' | 'pull' | 'tag' | 'push'; args: string[] };

async function buildOrMirror(
  image: BuildImage | MirrorImage,
  registry: string,
  deps: ApplyImagesDeps,
  onEvent: ((event: ImageEvent) => void) | undefined,
): Promise<ImageResult> {
  const base = { name: image.name, source: image.source, action: image.action, ref: image.ref, reason: image.reason };
  const secrets = [...(deps.secrets ?? []), ...(image.action === 'build' ? secretArgValues(image.args) : [])];
  const steps: Step[] =
    image.action === 'build'
      ? [{ step: 'build', args: buildArgs(image) }, ...(image.push === false ? [] : [{ step: 'push' as const, args: ['push', image.ref] }])]
      : [
          { step: 'pull', args: ['pull', image.source] },
          { step: 'tag', args: ['tag', image.source, image.ref] },
          { step: 'push', args: ['push', image.ref] },
        ];
  let pushOutput = '';
  for (const { step, args } of steps) {
    const spec: CommandSpec = {
      command: 'docker',
      args,
      timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      secrets,
      ...(deps.env ? { env: deps.env } : {}),
    };
    const command = describeCommand(spec);
    onEvent?.({ type: 'step', name: image.name, step, command });
    // stdout and stderr interleaved as they came, so the tail reads like the terminal would.
    let log = '';
    spec.onOutput = (chunk, stream) => {
      log += chunk;
      onEvent?.({ type: 'output', name: image.name, chunk: redactSecrets(chunk, secrets), stream });
    };
    let exitCode: number | null;
    try {
      const ran = await deps.runner.run(spec);
      exitCode = ran.exitCode;
      // A runner that does not stream (or streamed nothing) still has the whole output.
      if (log === '') log = [ran.stdout, ran.stderr].filter(Boolean).join('\n');
      if (exitCode !== 0 && ran.signal) log += `\n(ended by ${ran.signal})`;
    } catch (error) {
      const wrapped = isQedError(error, 'COMMAND_NOT_FOUND') ? dockerMissing(error) : toQedError(error);
      return failed(base, wrapped, command, redactSecrets(tailLines(log), secrets));
    }
    if (exitCode !== 0) {
      const logTail = redactSecrets(tailLines(log), secrets);
      return failed(base, classifyFailure(step, image, registry, command, log), command, logTail);
    }
    if (step === 'push') pushOutput = log;
  }
  const pushed = image.action === 'mirror' || image.push !== false;
  const digest = pushed ? await pushedDigest(deps.http ?? fetchHttpClient, registry, image, pushOutput) : undefined;
  return { ...base, status: image.action === 'build' ? 'built' : 'mirrored', ...(digest ? { digest } : {}), durationMs: 0 };
}

/**
 * The registry's own manifest digest. `docker push` prints one, but engines differ
 * (podman's RepoDigests, for one, is not what the registry stores), so the registry is
 * asked and the printed digest is only the fallback.
 */
async function pushedDigest(http: HttpClient, registry: string, image: BuildImage | MirrorImage, pushOutput: string): Promise<string | undefined> {
  const tag = image.ref.slice(image.ref.lastIndexOf(':') + 1);
  try {
    const found = await lookupManifest(http, registry, image.name, tag);
    if (found.present && found.digest) return found.digest;
  } catch {
    // Fall through to what docker printed.
  }
  return /digest: (sha256:[0-9a-f]{64})/.exec(pushOutput)?.[1];
}

function failed(base: Omit<ImageResult, 'status' | 'durationMs'>, error: QedError, command: string, logTail: string): ImageResult {
  return { ...base, status: 'failed', error, command, logTail, durationMs: 0 };
}

/** Turns a failed docker command into the error a user can act on. */
export function classifyFailure(
  step: Step['step'],
  image: BuildImage | MirrorImage,
  registry: string,
  command: string,
  log: string,
): QedError {
  const data = { image: image.name, command, step };
  if (/Cannot connect to the Docker daemon|error during connect|Is the docker daemon running/i.test(log)) {
    return new QedError('DOCKER_ENGINE_UNREACHABLE', `docker could not reach its engine while building ${image.name}`, {
      hint: 'Start Docker (or podman\'s Docker API service). docker uses DOCKER_HOST when set, else the current context (`docker context ls`); check that it points at a running engine.',
      data,
    });
  }
  if (/server gave HTTP response to HTTPS client/i.test(log)) {
    return new QedError('REGISTRY_NEEDS_INSECURE', `the engine tried HTTPS against the plain-HTTP registry ${registry}`, {
      hint: `Configure ${registry} as an insecure registry in the engine (Docker: "insecure-registries" in daemon.json; podman: registries.conf with insecure = true), or use 127.0.0.1:PORT as registry.host, which Docker trusts over HTTP.`,
      data,
    });
  }
  if (step === 'push' && /connection refused|no such host|i\/o timeout|dial tcp/i.test(log)) {
    const error = registryUnreachable(registry);
    return new QedError(error.code, `${error.message} (pushing ${image.name})`, { hint: error.hint, data });
  }
  const what = { build: 'build', pull: 'pull', tag: 'tag', push: 'push' }[step];
  return new QedError(`IMAGE_${what.toUpperCase()}_FAILED`, `docker ${what} of ${image.name} failed`, {
    hint: `Run \`${command}\` to see the whole output.`,
    data,
  });
}

function dockerMissing(cause: QedError): QedError {
  return new QedError('DOCKER_MISSING', 'docker is not installed or not on PATH', {
    hint: 'Install Docker (https://docs.docker.com/get-docker/) or a docker CLI talking to podman, then rerun.',
    cause,
  });
}

function toQedError(error: unknown): QedError {
  if (error instanceof QedError) return error;
  return new QedError('IMAGE_COMMAND_FAILED', (error as Error)?.message ?? String(error), { cause: error });
}

function secretArgValues(args: Readonly<Record<string, string>>): string[] {
  return Object.entries(args)
    .filter(([key]) => looksLikeSecretName(key))
    .map(([, value]) => value);
}
