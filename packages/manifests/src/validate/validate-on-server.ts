import { mapLimit } from '@qed/core';
import { isNotFound, KubeApiError } from '@qed/kube';
import { applyFailure, isTransient } from '../apply/apply-failure.js';
import { type ApplyTarget, serverSideApply } from '../apply/server-side-apply.js';
import { describeObject, formatFieldPath, type KubeObject, type SourcedObject } from '../kube-object.js';
import type { ManifestProblem } from '../load-manifests.js';

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
  const results = await mapLimit(objects, 16, async ({ object, source }): Promise<ManifestProblem[]> => {
    // A kind the server does not serve is reported by the offline checks.
    if (!(await target.discovery.lookup(object.apiVersion, object.kind))) return [];
    const wanted = object.metadata.namespace ?? namespace;
    const tryIn = (await namespaceExists(wanted)) ? wanted : 'default';
    try {
      await serverSideApply(target, object, { dryRun: true, namespace: tryIn });
      return [];
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      // A server going down mid-check says nothing about the object: not a problem in the file.
      if (isTransient(error)) throw applyFailure(object, error);
      return serverProblems(error).map(({ field, message }) => {
        const resolved = field ? resolveFieldPath(object, field) : null;
        return {
          file: source.file,
          line: resolved ? source.lineOf(resolved.segments) : source.line,
          column: 1,
          object: describeObject({ ...object, metadata: { ...object.metadata, namespace: wanted } }),
          ...(resolved ? { field: resolved.display } : {}),
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
 * ['spec', 'containers', 0, 'image']. A keyed list item is found by the keys it
 * has (the server also names keys it defaulted, such as a port's protocol).
 * `display` is the path as segments when all of it resolved, else the server's text.
 */
export function resolveFieldPath(object: KubeObject, field: string): { segments: Array<string | number>; display: string } {
  const segments: Array<string | number> = [];
  let node: unknown = object;
  for (const part of field.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (part.startsWith('[')) {
      const index = Array.isArray(node) ? itemIndex(node, part.slice(1, -1)) : -1;
      if (index < 0) return { segments, display: field };
      segments.push(index);
      node = (node as unknown[])[index];
    } else {
      segments.push(part);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    }
  }
  return { segments, display: formatFieldPath(segments) };
}

function itemIndex(items: unknown[], key: string): number {
  if (/^\d+$/.test(key)) return Number(key) < items.length ? Number(key) : -1;
  const pairs = [...key.matchAll(/([A-Za-z0-9_-]+)=("([^"]*)"|[^,]*)/g)].map((m) => [m[1] ?? '', m[3] ?? m[2] ?? ''] as const);
  return items.findIndex((item) => {
    const record = (item ?? {}) as Record<string, unknown>;
    const present = pairs.filter(([k]) => k in record);
    return present.length > 0 && present.every(([k, v]) => String(record[k]) === v);
  });
}
