/**
 * A Kubernetes object as read from YAML: only what every object has is typed;
 * the rest is checked against the Kubernetes schema by validation, not here.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Where an object came from, so every message can name file, document and line. */
export interface ObjectSource {
  file: string;
  /** 0-based index of the YAML document in the file. */
  documentIndex: number;
  /** 1-based line where the document starts. */
  line: number;
  /** 1-based line of a field inside the document, or of the document when absent. */
  lineOf(fieldPath: ReadonlyArray<string | number>): number;
}

export interface SourcedObject {
  object: KubeObject;
  source: ObjectSource;
}

/** Labels qed-bootstrap puts on everything it renders; prune and teardown select on them. */
export const PART_OF = 'qed';
export const MANAGED_BY = 'qed-bootstrap';
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

/** "Deployment qed/django" (namespace omitted for cluster-scoped objects). */
export function describeObject(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const ns = object.metadata.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata.name}`;
}

/** "apps/v1" -> { group: "apps", version: "v1" }; "v1" -> { group: "", version: "v1" }. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Dotted field path as kubectl prints it: spec.template.spec.containers[0].image */
export function formatFieldPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

/**
 * The local profile's PersistentVolume for a claim. PersistentVolumes are
 * cluster-scoped, so the namespace is part of the name: two namespaces never
 * compete for one volume, nor share one database's files.
 */
export function persistentVolumeName(namespace: string, claimName: string): string {
  return `${namespace}-${claimName}`;
}
