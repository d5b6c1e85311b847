import type { ImageConfig } from '@qed/core';
import type { KubeObject } from '../kube-object.js';
import { containersOf, podTemplateOf } from '../pod-spec.js';

export interface ImageRef {
  /** As written, without tag or digest: quanted/qed-django, localhost:5000/x. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits an image reference; a registry's :port is not mistaken for a tag. */
export function parseImageRef(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    repository: hasTag ? named.slice(0, colon) : named,
    tag: hasTag ? named.slice(colon + 1) : undefined,
    digest,
  };
}

/** quanted/redis, docker.io/quanted/redis and index.docker.io/quanted/redis are one repository. */
export function canonicalRepository(repository: string): string {
  const withoutHub = repository.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  return withoutHub.startsWith('library/') ? withoutHub.slice('library/'.length) : withoutHub;
}

/** The tag an image config's source is pushed under: its own, or latest. */
export function sourceTag(source: string): string {
  return parseImageRef(source).tag ?? 'latest';
}

/**
 * Points containers whose image is one of `images` (matched by repository: the
 * config's source names what the base uses) at the registry, as
 * `${registry}/${name}:${tag of source}` — where the images step pushes them. Other
 * images are left alone, with a warning, since the cluster then pulls them from
 * their own registry. Returns the warnings.
 */
export function rewriteImages(
  objects: KubeObject[],
  service: string,
  registry: string,
  images: readonly ImageConfig[],
): string[] {
  const warnings: string[] = [];
  const byRepository = new Map<string, ImageConfig>();
  // An exact source match wins over a repository match, so two configs of one
  // repository with different tags each keep their own.
  for (const config of images) {
    const key = canonicalRepository(parseImageRef(config.source).repository);
    if (!byRepository.has(key)) byRepository.set(key, config);
  }
  for (const object of objects) {
    const found = podTemplateOf(object);
    const spec = found?.template.spec;
    if (!found || !spec) continue;
    for (const { container } of containersOf(spec, [])) {
      if (!container.image) continue;
      const exact = images.find((config) => config.source === container.image);
      const config =
        exact ?? byRepository.get(canonicalRepository(parseImageRef(container.image).repository));
      if (config) {
        container.image = `${registry}/${config.name}:${sourceTag(config.source)}`;
      } else {
        warnings.push(
          `${service}: ${container.image} is not in config.images, so it is pulled from its own registry, not ${registry}`,
        );
      }
    }
  }
  return warnings;
}

/**
 * Points containers at the refs the images step pushed (`.qed/images.json`: source
 * -> ref, e.g. quanted/qed-django:latest -> 127.0.0.1:5000/qed-django:c-1a2b…).
 * Those refs name the registry as the host sees it; inside a minikube node
 * 127.0.0.1 is the node itself, so when `registry` is given (as the cluster reaches
 * it) it replaces the ref's registry host. Returns how many containers changed.
 */
export function applyImageRefs(objects: KubeObject[], refs: Readonly<Record<string, string>>, registry?: string): number {
  const bySource = new Map<string, string>();
  for (const [source, ref] of Object.entries(refs)) {
    const parsed = parseImageRef(source);
    bySource.set(`${canonicalRepository(parsed.repository)}:${parsed.tag ?? 'latest'}`, ref);
  }
  let changed = 0;
  for (const object of objects) {
    const found = podTemplateOf(object);
    const spec = found?.template.spec;
    if (!found || !spec) continue;
    for (const { container } of containersOf(spec, found.path)) {
      if (!container.image) continue;
      const parsed = parseImageRef(container.image);
      if (parsed.digest) continue;
      const ref = bySource.get(`${canonicalRepository(parsed.repository)}:${parsed.tag ?? 'latest'}`);
      if (!ref || ref === container.image) continue;
      container.image = registry && ref.includes('/') && /[.:]|^localhost$/.test(ref.split('/')[0] ?? '') ? `${registry}/${ref.slice(ref.indexOf('/') + 1)}` : ref;
      changed++;
    }
  }
  return changed;
}
