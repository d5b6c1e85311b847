import type { ImageConfig, OperatingSystem } from '@qed/core';
import type { KubeObject } from '../kube-object.js';

/** Where the rendered set will run; each has a file in manifests/profiles/. */
export type ManifestProfile = 'local' | 'aws' | 'azure';
export const MANIFEST_PROFILES: readonly ManifestProfile[] = ['local', 'aws', 'azure'];

/** Values for the keys of the qed-secrets Secret, by key. */
export interface SecretValues {
  [key: string]: string;
}

export interface RenderOptions {
  /** The repository's manifests/ folder (absolute). */
  manifestsDir: string;
  profile: ManifestProfile;
  /** Set on every namespaced object; a Namespace object is rendered too. */
  namespace: string;
  /** Absolute path on the user's machine under which the local profile keeps its folders. */
  dataRoot: string;
  hostOs: OperatingSystem;
  /** HOST:PORT. Images listed in `images` are pulled from here as `${registry}/${name}:${tag}`. */
  registry?: string;
  /** Source image -> ref pushed by the images step (.qed/images.json). */
  imageRefs?: Readonly<Record<string, string>>;
  images: ImageConfig[];
  /** Service names (QED_SERVICES); absent: all of them. */
  only?: string[];
  /** Values for every key of qed-secrets the selected services reference. */
  secrets: SecretValues;
}

/** One output file: `django.yaml`, `00-namespace.yaml`, `persistent-volumes.yaml`, `qed-secrets.secret.yaml`. */
export interface RenderedFile {
  name: string;
  objects: KubeObject[];
}

export interface RenderPlan {
  /** In apply order: namespace, persistent volumes, the secret, then services in QED_SERVICES order. */
  files: RenderedFile[];
  /** Every object of `files`, in the same order. */
  objects: KubeObject[];
  /** The qed-secrets keys the selected services reference, sorted. */
  requiredSecretKeys: string[];
  warnings: string[];
}

/** The one Secret every credential comes from. */
export const SECRET_NAME = 'qed-secrets';
export const SECRET_FILE_NAME = `${SECRET_NAME}.secret.yaml`;
// Sorts first, so `kubectl apply -f DIR` (which goes in file-name order) creates
// the namespace before anything that lives in it.
export const NAMESPACE_FILE_NAME = '00-namespace.yaml';
export const PERSISTENT_VOLUMES_FILE_NAME = 'persistent-volumes.yaml';

/** A qed-secrets key: also the tail of its environment variable, QED_SECRET_<KEY>. */
export const SECRET_KEY_PATTERN = /^[A-Z][A-Z0-9_]*$/;
export const SECRET_ENV_PREFIX = 'QED_SECRET_';

