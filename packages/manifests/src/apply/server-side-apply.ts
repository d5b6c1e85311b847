import { type Discovery, type KubeApi, resourcePath } from '@qed/kube';
import type { KubeObject } from '../kube-object.js';

/** The field manager our applies own fields as (kubectl's is "kubectl"). */
export const FIELD_MANAGER = 'qed-bootstrap';

export interface ApplyTarget {
  api: KubeApi;
  discovery: Discovery;
}

/**
 * One object through server-side apply, with strict field validation so an
 * unknown or duplicated field is an error rather than silently dropped. `force`
 * takes over fields another manager (say, a `kubectl edit`) set: the manifests are
 * the source of truth for what they declare.
 */
export async function serverSideApply(
  target: ApplyTarget,
  object: KubeObject,
  options: { dryRun?: boolean; namespace?: string } = {},
): Promise<KubeObject> {
  const info = await target.discovery.require(object);
  const namespace = info.namespaced ? (options.namespace ?? object.metadata.namespace) : undefined;
  const body: KubeObject = info.namespaced && namespace ? { ...object, metadata: { ...object.metadata, namespace } } : object;
  return target.api.request<KubeObject>({
    method: 'PATCH',
    path: resourcePath(object.apiVersion, info, namespace, object.metadata.name),
    query: {
      fieldManager: FIELD_MANAGER,
      force: 'true',
      fieldValidation: 'Strict',
      ...(options.dryRun ? { dryRun: 'All' } : {}),
    },
    contentType: 'application/apply-patch+yaml',
    body,
  });
}
