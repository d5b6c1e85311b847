import { describeObject, formatFieldPath, type SourcedObject, splitApiVersion } from '../kube-object.js';
import type { ManifestProblem } from '../load-manifests.js';
import { valueAt } from '../records.js';
import { checkReferences } from './check-references.js';
import { removedApi } from '../removed-apis.js';
import { importKubeModel } from './import-kube-model.js';

type Model = new (data: unknown) => { validate(): void };
interface SchemaError {
  instancePath: string;
  message?: string;
  keyword: string;
  params?: { missingProperty?: string; allowedValues?: unknown[]; type?: string | string[] };
}

const models = new Map<string, Promise<Model | null>>();

/** The kubernetes-models class for a built-in kind, or null when there is none. */
function modelFor(apiVersion: string, kind: string): Promise<Model | null> {
  const key = `${apiVersion}/${kind}`;
  let model = models.get(key);
  if (!model) {
    const { group, version } = splitApiVersion(apiVersion);
    const specifier = `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
    model = importKubeModel(specifier).then(
      (module: Record<string, unknown>) => (module[kind] ?? module.default ?? null) as Model | null,
      () => null,
    );
    models.set(key, model);
  }
  return model;
}

export interface OfflineResult {
  problems: ManifestProblem[];
  /** Accepted by a server, but not what the set means to do (a claim none of these files creates). */
  warnings: ManifestProblem[];
  /** Objects of kinds that are not built in: only a server can check them (CRDs). */
  unknownKinds: SourcedObject[];
}

/**
 * Every object against the Kubernetes schema of its kind, with no cluster:
 * types, required fields and enums, each problem located at its field's line;
 * then the references between fields and objects (checkReferences).
 * Unknown fields are left to the server's strict field validation.
 */
export async function validateOffline(objects: readonly SourcedObject[]): Promise<OfflineResult> {
  const problems: ManifestProblem[] = [];
  const unknownKinds: SourcedObject[] = [];
  for (const sourced of objects) {
    const { object, source } = sourced;
    const at = (field: Array<string | number>, message: string): ManifestProblem => ({
      file: source.file,
      line: source.lineOf(field),
      column: 1,
      object: describeObject(object),
      ...(field.length ? { field: formatFieldPath(field) } : {}),
      message,
    });
    const removed = removedApi(object.apiVersion, object.kind);
    if (removed) {
      problems.push(
        at(
          ['apiVersion'],
          `${object.apiVersion} ${object.kind} is no longer served (removed in Kubernetes ${removed.removedIn}; ${removed.replacement ? `use ${removed.replacement}` : 'it has no replacement'}): run \`qed-bootstrap manifests migrate\``,
        ),
      );
      continue;
    }
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) {
      unknownKinds.push(sourced);
      continue;
    }
    try {
      new Model(withoutNulls(object)).validate();
    } catch (error) {
      const errors = (error as { errors?: SchemaError[] }).errors;
      if (!errors) throw error;
      for (const e of errors) {
        const path = e.instancePath
          .split('/')
          .slice(1)
          .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
        let message = e.message ?? 'is invalid';
        if (e.keyword === 'required' && e.params?.missingProperty) {
          path.push(e.params.missingProperty);
          message = 'is required';
        } else if (e.keyword === 'enum' && e.params?.allowedValues) {
          message = `must be one of: ${e.params.allowedValues.join(', ')}`;
        } else if (e.keyword === 'type') {
          // The value too, as the server's "cannot unmarshal string into ... int32" does.
          message = `${message}, not ${describeValue(valueAt(object, path))}`;
        }
        problems.push(at(path, message));
      }
    }
  }
  const references = checkReferences(objects);
  return { problems: [...problems, ...references.problems], warnings: references.warnings, unknownKinds };
}

/**
 * The object as the API server decodes it: a field written with no value
 * (`protocol:`) is null in YAML, and null is "not set" to the server, which then
 * defaults it. The schema would call it the wrong type.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/** Problems for objects whose kind neither the schema nor (when asked) the server knows. */
export function unknownKindProblems(objects: readonly SourcedObject[]): ManifestProblem[] {
  return objects.map(({ object, source }) => ({
    file: source.file,
    line: source.lineOf(['kind']),
    column: 1,
    object: describeObject(object),
    field: 'kind',
    message: `unknown kind ${object.kind} in ${object.apiVersion} (not a Kubernetes built-in; a custom resource can only be checked against a cluster that has its CRD)`,
  }));
}
