import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatKubeYaml, nodeWriteFs, REDACTED, type WriteFs, writeFileAtomic } from '@qed/core';
import type { KubeObject } from '@qed/manifests/kube-object';

/** How manifests are written: YAML (default) or JSON (--json, as kompose's -j). */
export const MANIFEST_FORMATS = ['yaml', 'json'] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

/**
 * A file convert writes, relative to the output folder: a manifest, a Helm chart
 * template (which reads values), or the chart's own Chart.yaml and values.yaml.
 */
export interface ConvertedFile {
  /** qed-django-deployment.yml, as the guide names kompose's files; templates/… in a chart. */
  name: string;
  text: string;
  role: 'manifest' | 'template' | 'chart';
  /** It holds a Secret's values: written 0600. */
  secret: boolean;
  /** The objects a manifest's text was written from: the checks take them as they are, and read the text only to locate a finding. */
  objects?: readonly KubeObject[];
}

export const CONVERTED_HEADER = '# Converted from compose by qed-bootstrap convert';

/** One file per object, named <name>-<kind>.yml (.json with --json). */
export function convertedFiles(objects: readonly KubeObject[], format: ManifestFormat = 'yaml'): ConvertedFile[] {
  return objects.map((object) => ({
    name: `${object.metadata.name}-${object.kind.toLowerCase()}.${format === 'json' ? 'json' : 'yml'}`,
    text: format === 'json' ? `${JSON.stringify(object, null, 2)}\n` : `${CONVERTED_HEADER}\n${formatKubeYaml(object)}`,
    role: 'manifest',
    secret: object.kind === 'Secret',
    objects: [object],
  }));
}

/**
 * One stream (YAML documents, or with JSON one v1 List as kubectl reads it); Secret
 * values are masked unless the caller asks for them. YAML is written, like the
 * files, by formatKubeYaml: kubectl reads YAML 1.1, where a plain `Y`, `off` or
 * `0755` is not a string.
 */
export function formatStream(objects: readonly KubeObject[], options: { revealSecrets: boolean; format?: ManifestFormat }): string {
  const shown = objects.map((object) => (options.revealSecrets || object.kind !== 'Secret' ? object : maskSecret(object)));
  if (options.format === 'json') return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shown }, null, 2)}\n`;
  return shown.map((object) => `---\n${formatKubeYaml(object)}`).join('');
}

function maskSecret(object: KubeObject): KubeObject {
  const data = (object.data ?? {}) as Record<string, string>;
  return { ...object, data: Object.fromEntries(Object.keys(data).map((k) => [k, REDACTED])) };
}

/** Kinds that live outside any namespace, among those convert makes. */
const CLUSTER_SCOPED = new Set(['PersistentVolume', 'Namespace', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding']);

/**
 * --namespace NS: every namespaced object says it lives in NS, and a Namespace object
 * comes first so the files apply to an empty cluster, as kompose writes them.
 */
export function inNamespace(objects: readonly KubeObject[], namespace: string): KubeObject[] {
  const placed = objects.map((object) => {
    if (CLUSTER_SCOPED.has(object.kind)) return object;
    // name, then namespace, then the rest: as kubectl prints them.
    const { name, ...rest } = object.metadata;
    delete rest.namespace;
    return { ...object, metadata: { name, namespace, ...rest } };
  });
  if (namespace === 'default' || objects.some((o) => o.kind === 'Namespace' && o.metadata.name === namespace)) return placed;
  return [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, ...placed];
}

/** What convert notes about where an object came from (service, depends-on, alias-of): annotations under this prefix. */
const CONVERT_ANNOTATION_PREFIX = 'compose.qed-bootstrap/';

/**
 * The objects without convert's own annotations (kompose's --with-kompose-annotation=false
 * leaves out its kompose.cmd / kompose.version the same way), on the objects and their
 * pod templates; the compose labels carried as annotations stay.
 */
export function withoutConvertAnnotations(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((object) => {
    const spec = object.spec as Record<string, unknown> | undefined;
    const jobTemplate = spec?.jobTemplate as { spec?: Record<string, unknown> } | undefined;
    return {
      ...object,
      metadata: stripAnnotations(object.metadata),
      ...(spec?.template ? { spec: { ...spec, template: withTemplateMetadata(spec.template) } } : {}),
      ...(jobTemplate?.spec?.template ? { spec: { ...spec, jobTemplate: { ...jobTemplate, spec: { ...jobTemplate.spec, template: withTemplateMetadata(jobTemplate.spec.template) } } } } : {}),
    };
  });
}

function withTemplateMetadata(template: unknown): unknown {
  const t = template as { metadata?: { annotations?: Record<string, string> } };
  return t.metadata ? { ...t, metadata: stripAnnotations(t.metadata) } : t;
}

function stripAnnotations<M extends { annotations?: Record<string, string> }>(metadata: M): M {
  if (!metadata.annotations) return metadata;
  const { annotations, ...rest } = metadata;
  const kept = Object.fromEntries(Object.entries(annotations).filter(([key]) => !key.startsWith(CONVERT_ANNOTATION_PREFIX)));
  return (Object.keys(kept).length > 0 ? { ...rest, annotations: kept } : rest) as M;
}

export type FileChange = 'created' | 'updated' | 'unchanged';

/**
 * Writes the files into `dir` (their folders made as needed), atomically, and says
 * what changed. Files holding Secrets are written 0600. Nothing else in the folder
 * is touched.
 */
export async function writeConvertedFiles(
  dir: string,
  files: readonly ConvertedFile[],
  fs: WriteFs = nodeWriteFs,
): Promise<Array<{ file: string; change: FileChange }>> {
  for (const folder of new Set(files.map((f) => path.dirname(path.join(dir, f.name))))) await mkdir(folder, { recursive: true });
  // Independent files: written concurrently, each atomically.
  return Promise.all(
    files.map(async ({ name, text, secret }): Promise<{ file: string; change: FileChange }> => {
      const file = path.join(dir, name);
      const before = await readFile(file, 'utf8').catch(() => null);
      if (before === text) return { file, change: 'unchanged' };
      await writeFileAtomic(file, text, secret ? 0o600 : 0o644, fs);
      return { file, change: before === null ? 'created' : 'updated' };
    }),
  );
}
