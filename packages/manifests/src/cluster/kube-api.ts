import https from 'node:https';
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
 * TLS and credentials for one cluster, as @kubernetes/client-node's KubeConfig
 * works them out (certificates, tokens, exec plugins, basic auth). Plain data,
 * so it can be computed in a worker thread.
 */
export interface TransportOptions {
  server: string;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  pfx?: string | Buffer;
  passphrase?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
  /** user:password, for basic auth. */
  auth?: string;
  headers?: Record<string, string>;
}

/** The transport fields of https.RequestOptions that KubeConfig.applyToHTTPSOptions fills in. */
export function transportFromHttpsOptions(server: string, options: https.RequestOptions): TransportOptions {
  const pick = <K extends keyof TransportOptions>(key: K, value: unknown) => (value === undefined ? {} : { [key]: value });
  return {
    server,
    ...pick('ca', options.ca),
    ...pick('cert', options.cert),
    ...pick('key', options.key),
    ...pick('pfx', options.pfx),
    ...pick('passphrase', options.passphrase),
    ...pick('rejectUnauthorized', options.rejectUnauthorized),
    ...pick('servername', options.servername),
    ...pick('auth', options.auth),
    ...pick('headers', options.headers as Record<string, string> | undefined),
  };
}

/**
 * JSON over HTTPS to the API server. Objects are sent exactly as written: the
 * client's typed KubernetesObjectApi serialises through its models, which silently
 * drops fields they do not know, so a typo in a manifest would never reach the
 * server's strict field validation. The cluster, TLS and credentials still come
 * from @kubernetes/client-node (see TransportOptions).
 */
export class HttpsKubeApi implements KubeApi {
  private readonly server: URL;
  private readonly transport: () => Promise<TransportOptions>;
  private agent: { key: TransportOptions; agent: https.Agent } | undefined;

  /** `transport` is asked before each request, so credentials that expire can be renewed. */
  constructor(transport: () => Promise<TransportOptions>, server: string) {
    this.server = new URL(server);
    this.transport = transport;
  }

  private agentFor(t: TransportOptions): https.Agent {
    // One keep-alive agent while the TLS material stays the same.
    if (this.agent && this.agent.key.ca === t.ca && this.agent.key.cert === t.cert && this.agent.key.key === t.key) return this.agent.agent;
    const agent = new https.Agent({
      ca: t.ca,
      cert: t.cert,
      key: t.key,
      pfx: t.pfx,
      passphrase: t.passphrase,
      servername: t.servername,
      rejectUnauthorized: t.rejectUnauthorized ?? true,
      keepAlive: true,
      maxSockets: 16,
    });
    this.agent = { key: t, agent };
    return agent;
  }

  async request<T>(request: KubeRequest): Promise<T> {
    const t = await this.transport();
    const url = new URL(request.path, this.server);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { Accept: 'application/json', ...(t.headers ?? {}) };
    if (body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const agent = this.agentFor(t);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        url,
        { method: request.method, headers, agent, timeout: request.timeoutMs ?? 60_000, ...(t.auth ? { auth: t.auth } : {}) },
        (res) => {
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
        },
      );
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

