import { QedError } from '@qed/core';
import { isNotFound, type KubeApi } from './kube-api.js';

export interface ResourceInfo {
  /** The plural resource name used in paths: deployments, persistentvolumeclaims … */
  resource: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources: Array<{ name: string; kind: string; namespaced: boolean }>;
}

/**
 * Maps apiVersion + kind to the resource path the server uses, asking the
 * server once per group/version (as kubectl's discovery does) and caching it.
 */
export class Discovery {
  private readonly api: KubeApi;
  private readonly lists = new Map<string, Promise<ApiResourceList | null>>();

  constructor(api: KubeApi) {
    this.api = api;
  }

  async lookup(apiVersion: string, kind: string): Promise<ResourceInfo | null> {
    let list = this.lists.get(apiVersion);
    if (!list) {
      list = this.api.request<ApiResourceList>({ method: 'GET', path: groupVersionPath(apiVersion) }).catch((error: unknown) => {
        if (isNotFound(error)) return null;
        throw error;
      });
      this.lists.set(apiVersion, list);
    }
    const found = (await list)?.resources.find((r) => r.kind === kind && !r.name.includes('/'));
    return found ? { resource: found.name, namespaced: found.namespaced } : null;
  }

  async require(object: { apiVersion: string; kind: string }): Promise<ResourceInfo> {
    const info = await this.lookup(object.apiVersion, object.kind);
    if (!info) {
      throw new QedError('CLUSTER_UNKNOWN_KIND', `the cluster does not serve ${object.kind} in ${object.apiVersion}`, {
        hint: 'Check apiVersion and kind; a custom resource needs its CustomResourceDefinition installed first.',
      });
    }
    return info;
  }
}

/** The REST path of an object (or of its collection when name is omitted). */
export function resourcePath(apiVersion: string, info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const base = groupVersionPath(apiVersion);
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/** "apps/v1" -> /apis/apps/v1 (a named group); "v1" -> /api/v1 (the core group). */
function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}
