import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { QedError } from '@qed/core';

export interface KubeRequest {
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST';
  /** Path on the API server, e.g. /apis/apps/v1/namespaces/qed/deployments/django */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** Default 60 s; a reachability probe uses a short one. */
  timeoutMs?: number;
}

/** The seam between qed-bootstrap and a cluster: one JSON request at a time. */
export interface KubeApi {
  request<T>(request: KubeRequest): Promise<T>;
}

/** A failed API call, carrying the server's Status (reason, message, field causes). */
export class KubeApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly causes: Array<{ reason?: string; message?: string; field?: string }>;

  constructor(status: number, reason: string, message: string, causes: KubeApiError['causes']) {
    super(message);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
    this.causes = causes;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 404;
}

/**
 * JSON over HTTPS with the kubeconfig's TLS and credentials, which
 * @kubernetes/client-node resolves (certificates, tokens, exec plugins).
 * Objects are sent exactly as written: the client's typed KubernetesObjectApi
 * serialises through its models, which silently drops fields they do not know,
 * so a typo in a manifest would never reach the server's strict field validation.
 */
export class HttpsKubeApi implements KubeApi {
  private readonly kc: KubeConfig;
  private readonly server: URL;
  private readonly agent: Promise<https.Agent>;

  constructor(kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new QedError('CLUSTER_NO_CONTEXT', 'the kubeconfig has no current cluster', { hint: 'Choose one with --context NAME, or `kubectl config use-context NAME`.' });
    this.kc = kc;
    this.server = new URL(cluster.server);
    this.agent = (async () => {
      const options: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(options);
      return new https.Agent({ ca: options.ca, cert: options.cert, key: options.key, rejectUnauthorized: options.rejectUnauthorized ?? true, keepAlive: true, maxSockets: 16 });
    })();
  }

  async request<T>(request: KubeRequest): Promise<T> {
    const options: https.RequestOptions = {};
    // Credentials that are headers (tokens, exec plugins) are refreshed per request.
    await this.kc.applyToHTTPSOptions(options);
    const url = new URL(request.path, this.server);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { Accept: 'application/json', ...((options.headers as Record<string, string>) ?? {}) };
    if (body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const agent = await this.agent;
    return new Promise<T>((resolve, reject) => {
      const req = https.request(url, { method: request.method, headers, agent, timeout: request.timeoutMs ?? 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : {};
          } catch {
            json = { message: text };
          }
          if (status >= 200 && status < 300) resolve(json as T);
          else {
            const s = json as { reason?: string; message?: string; details?: { causes?: KubeApiError['causes'] } };
            reject(new KubeApiError(status, s.reason ?? String(status), s.message ?? text, s.details?.causes ?? []));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${request.method} ${url.pathname} timed out`)));
      req.on('error', (error) => reject(unreachable(this.server, error)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

function unreachable(server: URL, error: Error): QedError {
  return new QedError('CLUSTER_UNREACHABLE', `cannot reach the cluster at ${server.origin}: ${error.message}`, {
    hint: 'Start the cluster (`minikube start`, or `qed-bootstrap cluster up`), or pick another with --context.',
    cause: error,
  });
}

/** Whether the API server answers at all, within a few seconds. */
export async function probeCluster(api: KubeApi, timeoutMs = 5000): Promise<{ reachable: true; version: string } | { reachable: false; reason: string }> {
  try {
    const version = await api.request<{ gitVersion?: string }>({ method: 'GET', path: '/version', timeoutMs });
    return { reachable: true, version: version.gitVersion ?? 'unknown' };
  } catch (error) {
    return { reachable: false, reason: (error as Error).message };
  }
}

export interface ClusterConnection {
  api: KubeApi;
  context: string;
  server: string;
  /** The namespace the context names, when it names one. */
  contextNamespace: string | undefined;
}

/** Loads the kubeconfig (KUBECONFIG or ~/.kube/config, or the file given) and selects the context. */
export function connectCluster(options: { kubeconfig?: string; context?: string } = {}): ClusterConnection {
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new QedError('CLUSTER_KUBECONFIG', `cannot read the kubeconfig: ${(error as Error).message}`, {
      hint: 'Check KUBECONFIG, or create a cluster first (`minikube start`).',
      cause: error,
    });
  }
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context)) {
      throw new QedError('CLUSTER_NO_CONTEXT', `no context named ${options.context} in the kubeconfig`, {
        hint: `Known contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}.`,
      });
    }
    kc.setCurrentContext(options.context);
  }
  const context = kc.getCurrentContext();
  const api = new HttpsKubeApi(kc);
  const contextNamespace = kc.getContextObject(context)?.namespace;
  return { api, context, server: kc.getCurrentCluster()?.server ?? '', contextNamespace };
}
