import { type ApplyTarget, serverSideApply } from '../apply/server-side-apply.js';
import { isNotFound, KubeApiError } from '../cluster/kube-api.js';
import { describeObject, formatFieldPath, type KubeObject, type SourcedObject } from '../kube-object.js';
import type { ManifestProblem } from '../load-manifests.js';
import { mapLimit } from '../map-limit.js';

/**
 * The server's own verdict on every object: a server-side-apply dry run with
 * strict field validation, which runs defaulting, validation and admission
 * without storing anything. Objects whose namespace does not exist yet are tried
 * in `default` (validation does not depend on the namespace), so a namespace
 * the same set would create does not make everything else fail.
 */
export async function validateOnServer(target: ApplyTarget, objects: readonly SourcedObject[], namespace: string): Promise<ManifestProblem[]> {
  const existing = new Map<string, Promise<boolean>>();
  const namespaceExists = (name: string) => {
    let known = existing.get(name);
    if (!known) {
      known = target.api.request({ method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(name)}` }).then(
        () => true,
        (error: unknown) => {
          if (isNotFound(error)) return false;
          throw error;
        },
      );
      existing.set(name, known);
    }
    return known;
  };
  const results = await mapLimit(objects, 8, async ({ object, source }): Promise<ManifestProblem[]> => {
    const wanted = object.metadata.namespace ?? namespace;
    const tryIn = (await namespaceExists(wanted)) ? wanted : 'default';
    try {
      await serverSideApply(target, object, { dryRun: true, namespace: tryIn });
      return [];
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      return serverProblems(error).map(({ field, message }) => {
        const segments = field ? resolveFieldPath(object, field) : [];
        return {
          file: source.file,
          line: field ? source.lineOf(segments) : source.line,
          column: 1,
          object: describeObject({ ...object, metadata: { ...object.metadata, namespace: wanted } }),
          ...(field ? { field: formatFieldPath(segments) } : {}),
          message,
        };
      });
    }
  });
  return results.flat();
}

/** The field-level causes of a rejection, or its message when it names none. */
export function serverProblems(error: KubeApiError): Array<{ field?: string; message: string }> {
  const causes = error.causes.filter((c) => c.message);
  if (causes.length > 0) {
    return causes.map((c) => ({ ...(c.field ? { field: c.field.replace(/^\./, '') } : {}), message: c.message ?? c.reason ?? 'invalid' }));
  }
  // Strict decoding and typed-patch errors name the field inside the message, list
  // items by their key: .spec.template.spec.containers[name="web"].imagePullPolicey
  const unknown = [...error.message.matchAll(/((?:\.[A-Za-z0-9_-]+(?:\[[^\]]*\])*)+): field not declared in schema/g)];
  if (unknown.length > 0) return unknown.map((m) => ({ field: (m[1] ?? '').slice(1), message: 'unknown field (not in the schema of this kind)' }));
  const strict = [...error.message.matchAll(/unknown field "([^"]+)"/g)];
  if (strict.length > 0) return strict.map((m) => ({ field: m[1] ?? '', message: 'unknown field (not in the schema of this kind)' }));
  return [{ message: error.message }];
}

/**
 * A field path as the server writes it, made into segments of the object:
 * "spec.containers[0].image" and "spec.containers[name=\"web\"].image" both become
 * ['spec', 'containers', 0, 'image'] (a keyed list item is looked up by its key).
 */
export function resolveFieldPath(object: KubeObject, field: string): Array<string | number> {
  const segments: Array<string | number> = [];
  let node: unknown = object;
  for (const part of field.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (part.startsWith('[')) {
      const inner = part.slice(1, -1);
      const keyed = /^([A-Za-z0-9_-]+)="?([^"]*)"?$/.exec(inner);
      let index = Number(inner);
      if (keyed && Array.isArray(node)) {
        index = node.findIndex((item) => String((item as Record<string, unknown>)?.[keyed[1] ?? '']) === keyed[2]);
      }
      if (!Number.isInteger(index) || index < 0) break;
      segments.push(index);
      node = Array.isArray(node) ? node[index] : undefined;
    } else {
      segments.push(part);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    }
  }
  return segments;
}
