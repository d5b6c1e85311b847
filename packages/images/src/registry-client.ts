import { QedError } from '@qed/core';

/** The little of HTTP the registry check needs; fetch by default, a fake in tests. */
export interface HttpResponseLike {
  status: number;
  headers: { get(name: string): string | null };
}

export interface HttpClient {
  request(url: string, init: { method: 'HEAD' | 'GET'; headers: Record<string, string>; timeoutMs?: number }): Promise<HttpResponseLike>;
}

export const fetchHttpClient: HttpClient = {
  async request(url, init) {
    const response = await fetch(url, {
      method: init.method,
      headers: init.headers,
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    });
    // The body is not needed; dropping it frees the connection.
    await response.body?.cancel();
    return response;
  },
};

/**
 * Without these the registry may answer an index or OCI manifest with 404 (or convert
 * it), so both OCI and Docker v2 media types, image and index, are accepted.
 */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export type ManifestLookup = { present: true; digest: string | undefined } | { present: false };

/** Whether `<registry>/<name>:<tag>` exists, with its manifest digest as the registry reports it. */
export async function lookupManifest(http: HttpClient, registry: string, name: string, tag: string): Promise<ManifestLookup> {
  const url = `http://${registry}/v2/${name}/manifests/${tag}`;
  const headers = { Accept: MANIFEST_ACCEPT };
  let response: HttpResponseLike;
  try {
    response = await http.request(url, { method: 'HEAD', headers });
    // A few registries and proxies refuse HEAD on manifests; GET answers the same question.
    if (response.status === 405) response = await http.request(url, { method: 'GET', headers });
  } catch (error) {
    throw registryUnreachable(registry, error);
  }
  if (response.status === 200) {
    return { present: true, digest: response.headers.get('docker-content-digest') ?? undefined };
  }
  if (response.status === 404) return { present: false };
  throw new QedError('REGISTRY_ERROR', `the registry at ${registry} answered ${response.status} for ${name}:${tag}`, {
    hint: `Check the registry's logs; \`curl -I ${url}\` shows the same answer.`,
    data: { registry, url, status: response.status },
  });
}

export function registryUnreachable(registry: string, cause?: unknown): QedError {
  return new QedError('REGISTRY_UNREACHABLE', `the local registry at ${registry} does not answer`, {
    hint: 'Start it with `qed-bootstrap registry up`, or set registry.host in qed.config.yaml to where it runs.',
    cause,
    data: { registry },
  });
}
