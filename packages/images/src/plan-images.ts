import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type ImageConfig, QedError, type QedConfig } from '@qed/core';
import { computeContentTag } from './content-tag.js';
import { fetchHttpClient, type HttpClient, lookupManifest } from './registry-client.js';

interface PlannedBase {
  name: string;
  /** The remote image the config names, e.g. quanted/qed-django:latest. */
  source: string;
}

export interface BuildImage extends PlannedBase {
  action: 'build';
  /** `<registry>/<name>:<tag>`. */
  ref: string;
  tag: string;
  context: string;
  /** Absolute; undefined means docker's default (Dockerfile in the context). */
  dockerfile: string | undefined;
  args: Record<string, string>;
  target: string | undefined;
  reason: string;
  /** false: build only, into the engine (convert --build local without --push-image). Default: push too. */
  push?: boolean;
}

export interface SkipImage extends PlannedBase {
  action: 'skip';
  ref: string;
  tag: string;
  /** The manifest digest the registry already holds. */
  digest: string | undefined;
  reason: string;
}

export interface KeepRemoteImage extends PlannedBase {
  action: 'keep-remote';
  reason: string;
}

export interface MissingContextImage extends PlannedBase {
  action: 'missing-context';
  context: string;
  reason: string;
}

export interface MirrorImage extends PlannedBase {
  action: 'mirror';
  ref: string;
  reason: string;
}

export type PlannedImage = BuildImage | SkipImage | KeepRemoteImage | MissingContextImage | MirrorImage;
export type ImageAction = PlannedImage['action'];

export interface ImagePlan {
  registry: string;
  images: PlannedImage[];
}

export interface PlanImagesDeps {
  /** Default: fetch. */
  http?: HttpClient;
}

export interface PlanImagesOptions {
  /** Only these image names (--only a,b). */
  only?: readonly string[];
  /**
   * Plan pulling, retagging and pushing the images that have no context. Off by
   * default: pulling needs the network.
   */
  mirror?: boolean;
}

/**
 * Decides, per configured image, what `images build|push` would do. Reads the build
 * contexts and asks the registry which content tags it already has; changes nothing.
 */
export async function planImages(config: QedConfig, deps: PlanImagesDeps = {}, options: PlanImagesOptions = {}): Promise<ImagePlan> {
  const http = deps.http ?? fetchHttpClient;
  const registry = config.registry.host;
  const selected = selectImages(config.images, options.only);
  const images = await Promise.all(selected.map((image) => planImage(image, registry, http, options)));
  return { registry, images };
}

async function planImage(image: ImageConfig, registry: string, http: HttpClient, options: PlanImagesOptions): Promise<PlannedImage> {
  const base = { name: image.name, source: image.source };
  if (image.context === undefined) {
    if (options.mirror) {
      return { ...base, action: 'mirror', ref: `${registry}/${image.name}:${sourceTag(image.source)}`, reason: `pull ${image.source} and push it to ${registry}` };
    }
    return { ...base, action: 'keep-remote', reason: `no build context configured: ${image.source} is used as is` };
  }
  const context = path.resolve(image.context);
  if (!(await isDirectory(context))) {
    return { ...base, action: 'missing-context', context, reason: `build context ${context} does not exist: ${image.source} is used instead` };
  }
  // Compose's convention: a relative dockerfile is relative to the context.
  const dockerfile = image.dockerfile === undefined ? undefined : path.resolve(context, image.dockerfile);
  const args = { ...(image.args ?? {}) };
  let content: Awaited<ReturnType<typeof computeContentTag>>;
  try {
    content = await computeContentTag({ context, dockerfile: dockerfile ?? path.join(context, 'Dockerfile'), args, target: image.target });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new QedError('DOCKERFILE_MISSING', `image ${image.name}: no Dockerfile at ${dockerfile ?? path.join(context, 'Dockerfile')}`, {
        hint: 'Add the Dockerfile, or set `dockerfile` for this image in qed.config.yaml (relative to its context).',
        cause: error,
        data: { image: image.name },
      });
    }
    throw error;
  }
  const ref = `${registry}/${image.name}:${content.tag}`;
  const found = await lookupManifest(http, registry, image.name, content.tag);
  if (found.present) {
    return { ...base, action: 'skip', ref, tag: content.tag, digest: found.digest, reason: `unchanged: ${ref} is already in the registry` };
  }
  return {
    ...base,
    action: 'build',
    ref,
    tag: content.tag,
    context,
    dockerfile,
    args,
    target: image.target,
    reason: `content changed or never pushed (${content.fileCount} files hashed)`,
  };
}

function selectImages(images: readonly ImageConfig[], only: readonly string[] | undefined): ImageConfig[] {
  if (!only || only.length === 0) return [...images];
  const known = new Set(images.map((image) => image.name));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new QedError('UNKNOWN_IMAGE', `no image named ${unknown.join(', ')} in the config`, {
      hint: `Pick from: ${[...known].join(', ')}.`,
      data: { unknown, known: [...known] },
    });
  }
  return images.filter((image) => only.includes(image.name));
}

/** The tag part of a reference (`latest` when none), ignoring a registry port and any digest. */
export function sourceTag(source: string): string {
  const withoutDigest = source.split('@')[0] ?? source;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) : 'latest';
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
