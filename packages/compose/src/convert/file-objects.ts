import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '@qed/manifests/kube-object';
import type { ComposeProject, FileMount, FileObjectModel, ServiceModel } from '../model/compose-model.js';
import type { ComposeProblem, ComposeWarning, Location } from '../source/compose-problem.js';
import { dataKey, kubeName } from './kube-name.js';

/** The API server stores at most 1 MiB in one Secret or ConfigMap. */
const OBJECT_LIMIT = 1024 * 1024;

/** Where docker compose puts a secret or config the service names without a target. */
const DEFAULT_DIR = { secret: '/run/secrets', config: '' } as const;

type Kind = FileObjectModel['kind'];

interface Made {
  objectName: string;
  key: string;
}

export interface FileMounts {
  volumes: Array<Record<string, unknown>>;
  mounts: Array<Record<string, unknown>>;
  /** uid / gid asked for a file; Kubernetes has only the pod's fsGroup to offer. */
  owners: Array<{ mount: FileMount; kind: Kind }>;
}

/**
 * Compose secrets and configs: each definition a service uses becomes one Secret or
 * ConfigMap holding its value under one key (made once, however many services use
 * it), mounted as a single file where compose puts it: /run/secrets/<name> for a
 * secret, /<name> for a config, or the long syntax's target. An external one is
 * mounted by name and never generated.
 */
export class FileObjects {
  readonly objects: KubeObject[] = [];
  private readonly made = new Map<string, Promise<Made | null>>();
  private readonly project: ComposeProject;
  private readonly labelsFor: (name: string) => Record<string, string>;
  private readonly problems: ComposeProblem[];
  private readonly warnings: ComposeWarning[];
  /** Secret names already taken (the Secrets made from secret-looking environment). */
  private readonly takenSecretNames: ReadonlySet<string>;

  constructor(options: {
    project: ComposeProject;
    labelsFor: (name: string) => Record<string, string>;
    problems: ComposeProblem[];
    warnings: ComposeWarning[];
    takenSecretNames: ReadonlySet<string>;
  }) {
    this.project = options.project;
    this.labelsFor = options.labelsFor;
    this.problems = options.problems;
    this.warnings = options.warnings;
    this.takenSecretNames = options.takenSecretNames;
  }

  /** The pod volumes and container mounts of a service's secrets and configs; `volumeNames` are the pod's, taken already. */
  async mountsOf(service: ServiceModel, volumeNames: Set<string>, prefix = ''): Promise<FileMounts> {
    const result: FileMounts = { volumes: [], mounts: [], owners: [] };
    for (const kind of ['secret', 'config'] as const) {
      for (const mount of kind === 'secret' ? service.secrets : service.configs) {
        const made = await this.objectFor(kind, mount.source);
        if (!made) continue;
        const target = targetOf(kind, mount);
        const file = path.posix.basename(target);
        const wanted = kubeName(`${prefix}${kind}-${mount.source}`);
        let volumeName = wanted;
        for (let n = 2; volumeNames.has(volumeName); n++) volumeName = `${wanted.slice(0, 60)}-${n}`;
        volumeNames.add(volumeName);
        const items = [{ key: made.key, path: file, ...(mount.mode !== undefined ? { mode: mount.mode } : {}) }];
        result.volumes.push({
          name: volumeName,
          ...(kind === 'secret' ? { secret: { secretName: made.objectName, items } } : { configMap: { name: made.objectName, items } }),
        });
        // subPath puts exactly this file at the target, beside what the image has in that folder.
        result.mounts.push({ name: volumeName, mountPath: target, subPath: file, readOnly: true });
        if (mount.uid !== undefined || mount.gid !== undefined) result.owners.push({ mount, kind });
      }
    }
    return result;
  }

  /** Definitions no converted service uses: nothing is generated for them, and the user is told. */
  reportUnused(services: readonly ServiceModel[]): void {
    for (const [kind, definitions] of [['secret', this.project.secrets], ['config', this.project.configs]] as const) {
      const used = new Set(services.flatMap((s) => (kind === 'secret' ? s.secrets : s.configs).map((m) => m.source)));
      for (const definition of definitions.values()) {
        if (used.has(definition.name)) continue;
        this.warnings.push({ ...definition.at, key: `${kind}s.${definition.name}`, message: `no service converted here uses ${kind} ${definition.name}: no ${objectKind(kind)} is generated for it` });
      }
      for (const definition of definitions.values()) {
        for (const u of definition.untranslated) this.warnings.push({ ...u.at, key: `${kind}s.${definition.name}.${u.key}`, message: `${u.key} is not translated: ${u.reason}` });
      }
    }
  }

  private objectFor(kind: Kind, source: string): Promise<Made | null> {
    const id = `${kind}:${source}`;
    let made = this.made.get(id);
    if (!made) {
      made = this.make(kind, source);
      this.made.set(id, made);
    }
    return made;
  }

  private async make(kind: Kind, source: string): Promise<Made | null> {
    const definition = (kind === 'secret' ? this.project.secrets : this.project.configs).get(source);
    // An undefined source was refused while loading.
    if (!definition) return null;
    const key = dataKey(source);
    const wanted = definition.externalName ?? definition.name;
    let objectName = kubeName(wanted);
    const keyAt = (field: string): Location => definition.keyAt.get(field) ?? definition.at;
    const keyOf = (field: string) => `${kind}s.${definition.name}${field ? `.${field}` : ''}`;

    if (definition.external) {
      if (objectName !== wanted) {
        this.warnings.push({ ...keyAt('name'), key: keyOf('name'), message: `${wanted} is not a valid Kubernetes name: the ${objectKind(kind)} is looked up as ${objectName}` });
      }
      this.warnings.push({
        ...definition.at,
        key: keyOf('external'),
        message: `external ${kind}: nothing is generated; a ${objectKind(kind)} named ${objectName} with the key ${key} must exist in the namespace (kubectl create ${kind === 'secret' ? 'secret generic' : 'configmap'} ${objectName} --from-file=${key}=PATH)`,
      });
      return { objectName, key };
    }
    if (kind === 'secret' && this.takenSecretNames.has(objectName)) objectName = kubeName(`${objectName}-${kind}`);

    let value: Buffer;
    if (definition.file !== undefined) {
      try {
        value = await readFile(definition.file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? `is a folder; a ${kind} is one file` : `cannot be read (${code ?? (error as Error).message})`;
        this.problems.push({ ...keyAt('file'), key: keyOf('file'), message: `${definition.file} ${why}: create it, or fix the path (relative to the compose file)` });
        return null;
      }
    } else if (definition.content !== undefined) {
      value = Buffer.from(definition.content, 'utf8');
    } else if (definition.environment !== undefined) {
      if (definition.environmentValue === undefined) {
        this.problems.push({
          ...keyAt('environment'),
          key: keyOf('environment'),
          message: `variable ${definition.environment} is not set: set it in the environment or the .env file, or the ${kind} would be empty`,
        });
        return null;
      }
      value = Buffer.from(definition.environmentValue, 'utf8');
    } else {
      // Loading refused a definition without a source.
      return null;
    }
    if (value.length > OBJECT_LIMIT) {
      const field = definition.file !== undefined ? 'file' : definition.content !== undefined ? 'content' : 'environment';
      this.problems.push({ ...keyAt(field), key: keyOf(field), message: `${value.length} bytes: a ${objectKind(kind)} holds at most 1 MiB; put this into the image or a volume` });
      return null;
    }

    const metadata = { name: objectName, labels: this.labelsFor(objectName) };
    if (kind === 'secret') {
      this.objects.push({ apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data: { [key]: value.toString('base64') } });
    } else {
      const text = value.toString('utf8');
      const isText = Buffer.from(text, 'utf8').equals(value);
      this.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata, ...(isText ? { data: { [key]: text } } : { binaryData: { [key]: value.toString('base64') } }) });
    }
    return { objectName, key };
  }
}

/** Where compose puts the file: the target as written (relative ones under the default folder), else the default. */
export function targetOf(kind: Kind, mount: FileMount): string {
  const target = mount.target ?? mount.source;
  return target.startsWith('/') ? target : `${DEFAULT_DIR[kind]}/${target}`;
}

function objectKind(kind: Kind): string {
  return kind === 'secret' ? 'Secret' : 'ConfigMap';
}
