import { QED_SERVICES, QedError, readRegistryEndpoint, toNodePath } from '@qed/core';
import {
  type KubeObject,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  LABEL_PART_OF,
  MANAGED_BY,
  PART_OF,
} from '../kube-object.js';
import { isValidName } from '../validate/object-names.js';
import { applyProfile } from './apply-profile.js';
import { type BaseService, cloneObjects, loadBase } from './load-base.js';
import { loadProfile, type Profile } from './load-profile.js';
import {
  MANIFEST_PROFILES,
  NAMESPACE_FILE_NAME,
  PERSISTENT_VOLUMES_FILE_NAME,
  type RenderedFile,
  type RenderOptions,
  type RenderPlan,
  SECRET_ENV_PREFIX,
  SECRET_FILE_NAME,
  SECRET_NAME,
} from './render-types.js';
import { secretKeysOf } from './required-secret-keys.js';
import { applyImageRefs, rewriteImages } from './rewrite-images.js';

/**
 * What `manifests render` would write: the base fitted to a profile, a namespace,
 * images pointed at the registry, and the qed-secrets Secret. Reads manifestsDir and
 * nothing else; the same options always give the same plan, in the same order.
 * Secret values end up only in the Secret's stringData, never in warnings or errors.
 */
export async function planRender(options: RenderOptions): Promise<RenderPlan> {
  checkOptions(options);
  const profile = await loadProfile(options.manifestsDir, options.profile);
  const nodeRoot = usesHostFolders(profile) ? nodeRootOf(options) : null;
  const base = await loadBase(options.manifestsDir);
  const selected = selectServices(base, options.only);

  const requiredKeys = secretKeysOf(selected);
  const missing = requiredKeys.filter((key) => !options.secrets[key]);
  if (missing.length > 0) throw secretsMissing(missing);
  const warnings: string[] = [];
  const knownKeys = new Set(secretKeysOf(base));
  const unused = Object.keys(options.secrets)
    .filter((key) => !knownKeys.has(key))
    .sort();
  if (unused.length > 0)
    warnings.push(
      `no service uses the secret key${unused.length > 1 ? 's' : ''} ${unused.join(', ')}; left out of ${SECRET_NAME}`,
    );

  const serviceFiles: RenderedFile[] = [];
  const persistentVolumes: KubeObject[] = [];
  for (const service of selected) {
    const objects = cloneObjects(service);
    persistentVolumes.push(
      ...applyProfile(objects, service.service, { profile, namespace: options.namespace, nodeRoot }),
    );
    if (options.registry)
      warnings.push(...rewriteImages(objects, service.service, options.registry, options.images));
    // The refs the images step pushed (content tags) win over the registry's :latest.
    if (options.imageRefs) applyImageRefs(objects, options.imageRefs, options.registry);
    serviceFiles.push({ name: `${service.service}.yaml`, objects });
  }

  const files: RenderedFile[] = [
    { name: NAMESPACE_FILE_NAME, objects: [namespaceObject(options.namespace)] },
  ];
  if (persistentVolumes.length > 0)
    files.push({ name: PERSISTENT_VOLUMES_FILE_NAME, objects: persistentVolumes });
  if (requiredKeys.length > 0)
    files.push({
      name: SECRET_FILE_NAME,
      objects: [secretObject(options.namespace, requiredKeys, options.secrets)],
    });
  files.push(...serviceFiles);
  return { files, objects: files.flatMap((f) => f.objects), requiredSecretKeys: requiredKeys, warnings };
}

function checkOptions(options: RenderOptions): void {
  if (!MANIFEST_PROFILES.includes(options.profile)) {
    throw new QedError('RENDER_UNKNOWN_PROFILE', `unknown profile ${JSON.stringify(options.profile)}`, {
      hint: `Use one of: ${MANIFEST_PROFILES.join(', ')}.`,
      data: { profile: options.profile, profiles: [...MANIFEST_PROFILES] },
    });
  }
  if (!isValidName(options.namespace, 'dns-label')) {
    throw new QedError(
      'RENDER_INVALID_NAMESPACE',
      `${JSON.stringify(options.namespace)} is not a valid namespace name`,
      {
        hint: 'A namespace is at most 63 lowercase letters, digits and dashes, starting and ending with a letter or digit (e.g. qed).',
      },
    );
  }
  if (options.registry !== undefined && !readRegistryEndpoint(options.registry) && !/^[A-Za-z0-9.-]+$/.test(options.registry)) {
    throw new QedError(
      'RENDER_INVALID_REGISTRY',
      `${JSON.stringify(options.registry)} is not a registry address`,
      {
        hint: 'Give the registry as HOST:PORT, e.g. localhost:5000, without a scheme or path.',
      },
    );
  }
}

function usesHostFolders(profile: Profile): boolean {
  return profile.persistentVolumes === 'hostPath' || profile.hostFolders === 'hostPath';
}

function nodeRootOf(options: RenderOptions): string {
  try {
    return toNodePath(options.dataRoot, options.hostOs);
  } catch (error) {
    throw new QedError(
      'RENDER_INVALID_DATA_ROOT',
      `the data root must be an absolute path, not ${JSON.stringify(options.dataRoot)}`,
      {
        hint: 'Set dataRoot in qed.config.yaml to an absolute folder (the default is ~/.qed/data).',
        cause: error,
      },
    );
  }
}

function selectServices(base: BaseService[], only: readonly string[] | undefined): BaseService[] {
  if (only === undefined) return base;
  const unknown = only.filter((name) => !(QED_SERVICES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new QedError(
      'RENDER_UNKNOWN_SERVICE',
      `unknown service${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
      {
        hint: `Valid services: ${QED_SERVICES.join(', ')}.`,
        data: { unknown, services: [...QED_SERVICES] },
      },
    );
  }
  return base.filter((service) => only.includes(service.service));
}

/** Names the missing keys (never values) and how to give them. */
export function secretsMissing(keys: readonly string[]): QedError {
  return new QedError(
    'SECRETS_MISSING',
    `no value for the secret${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`,
    {
      hint: `Set ${keys.map((key) => `${SECRET_ENV_PREFIX}${key}`).join(', ')} in the environment, or add ${keys
        .map((key) => `${key}=…`)
        .join(', ')} lines to the secrets file. Only the local profile generates missing values.`,
      data: { missing: [...keys] },
    },
  );
}

function sharedLabels(): Record<string, string> {
  return { [LABEL_NAME]: PART_OF, [LABEL_PART_OF]: PART_OF, [LABEL_MANAGED_BY]: MANAGED_BY };
}

function namespaceObject(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: sharedLabels() } };
}

function secretObject(
  namespace: string,
  keys: readonly string[],
  values: Readonly<Record<string, string>>,
): KubeObject {
  const stringData: Record<string, string> = {};
  for (const key of keys) stringData[key] = values[key] ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SECRET_NAME, namespace, labels: sharedLabels() },
    type: 'Opaque',
    stringData,
  };
}
