import path from 'node:path';
import type { ServiceModel } from '../model/compose-model.js';
import type { Location } from '../source/compose-problem.js';

/** kompose's --build: none (the default) leaves images to the user; local builds them with the engine. */
export const BUILD_MODES = ['none', 'local'] as const;
export type BuildMode = (typeof BUILD_MODES)[number];

/** One `docker build` that `convert --build local` runs: the image is tagged as the manifests reference it. */
export interface ImageBuild {
  /** The compose service. */
  service: string;
  /** The ref the converted manifests use, and the tag docker build gives. */
  image: string;
  /** Absolute, or a URL docker reads itself. */
  context: string;
  /** Absolute; undefined means Dockerfile in the context. */
  dockerfile: string | undefined;
  args: Record<string, string>;
  target: string | undefined;
  /** Whether it is pushed after the build (--push-image). */
  push: boolean;
  at: Location;
}

/** What a service with `build:` builds, under its final image name. */
export function imageBuildOf(service: ServiceModel, image: string, push: boolean): ImageBuild | undefined {
  const build = service.build;
  if (!build) return undefined;
  const isUrl = build.contextPath === build.context && !path.isAbsolute(build.context);
  // Compose's convention: a relative dockerfile is relative to the context.
  const dockerfile = build.dockerfile === undefined ? undefined : isUrl ? build.dockerfile : path.resolve(build.contextPath, build.dockerfile);
  return { service: service.name, image, context: build.contextPath, dockerfile, args: { ...build.args }, target: build.target, push, at: service.at };
}

/**
 * An image ref re-rooted under another registry, as kompose's --push-image-registry
 * re-roots the pushed name: the registry part (a first segment with a dot or a port,
 * or localhost) replaced, the path and tag kept. `web:latest` under `reg:5000` is
 * `reg:5000/web:latest`; `ghcr.io/me/web:1` is `reg:5000/me/web:1`.
 */
export function underRegistry(image: string, registry: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const rest = hasRegistry ? image.slice(slash + 1) : image;
  return `${registry.replace(/\/+$/, '')}/${rest}`;
}

/** The registry host of a ref (docker.io when it names none). */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  return first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}
