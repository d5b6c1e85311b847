import http from 'node:http';
import https from 'node:https';
import { QedError } from '@qed/core';
import type WebSocket from 'ws';
import { type AgentUse, KeepAliveAgents, type TlsMaterial } from './keep-alive-agents.js';
import type { KubeWebSocketApi, KubeWebSocketRequest } from './kube-websocket.js';

export interface KubeRequest {
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST';
  /** Path on the API server, e.g. /apis/apps/v1/namespaces/qed/deployments/django */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** Default 60 s; a reachability probe uses a short one; 0 for none. */
  timeoutMs?: number;
  /** Abandons the request: it then rejects with the signal's AbortError. */
  signal?: AbortSignal;
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
 * TLS and credentials for one cluster (certificates, tokens, basic auth, or what an
 * exec plugin gave), as plain data: see loadKubeConfig.
 */
export interface TransportOptions extends TlsMaterial {
  server: string;
  /** user:password, for basic auth. */
  auth?: string;
  headers?: Record<string, string>;
}

/** The transport fields of https.RequestOptions that client-node's KubeConfig.applyToHTTPSOptions fills in. */
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

/** A GET whose answer is read as it arrives: a watch, a followed log. */
export interface KubeStreamRequest {
  path: string;
  query?: Record<string, string | undefined>;
  /** Ends the stream: the iteration then finishes without an error. */
  signal?: AbortSignal;
}

/** Streams from the API server, over the same connection settings as KubeApi's requests. */
export interface KubeStreamApi {
  /**
   * Resolves once the server has answered with a 2xx status (any other status
   * rejects with its KubeApiError); then yields the body's chunks until the server
   * ends it or `signal` aborts.
   */
  stream(request: KubeStreamRequest): Promise<AsyncIterable<Buffer>>;
}

/**
 * JSON over HTTPS to the API server (or plain HTTP, as `kubectl proxy` serves it).
 * Objects are sent exactly as written: the client's typed KubernetesObjectApi
 * serialises through its models, which silently drops fields they do not know, so a
 * typo in a manifest would never reach the server's strict field validation. The
 * cluster, TLS and credentials come from the kubeconfig (loadKubeConfig).
 *
 * The transport is worked out again for each request (requests that start together
 * share one), never kept: client certificates may be files that change (a recreated
 * minikube profile), tokens may come from a token file (read again each time) or an
 * exec plugin (whose credential @kubernetes/client-node keeps until it expires), and
 * only the kubeconfig's reader knows when each is due. That costs microseconds a
 * request (small file reads at most). What cost a run dearly was a TLS handshake per
 * request: connections were kept only while the TLS Buffers were the very same
 * objects, and each working-out makes new ones. They are now kept while the TLS
 * material is the same by content (KeepAliveAgents).
 */
export class HttpsKubeApi implements KubeApi, KubeStreamApi, KubeWebSocketApi {
  private readonly server: URL;
  private readonly transport: () => Promise<TransportOptions>;
  private readonly agents: KeepAliveAgents;
  private pending: Promise<TransportOptions> | undefined;

  constructor(transport: () => Promise<TransportOptions>, server: string) {
    this.server = new URL(server);
    this.transport = transport;
    this.agents = new KeepAliveAgents(this.server.protocol);
  }

  async request<T>(request: KubeRequest): Promise<T> {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const res = await this.send(request, 'request', body);
    const text = await this.readBody(res, request.signal);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw apiError(status, text);
    try {
      return (text ? JSON.parse(text) : {}) as T;
    } catch {
      return { message: text } as T;
    }
  }

  async stream(request: KubeStreamRequest): Promise<AsyncIterable<Buffer>> {
    const { signal } = request;
    const res = await this.send({ method: 'GET', path: request.path, query: request.query, timeoutMs: 0, signal }, 'stream', undefined);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw apiError(status, await this.readBody(res, signal));
    const server = this.server;
    return (async function* () {
      try {
        for await (const chunk of res) yield chunk as Buffer;
      } catch (error) {
        if (signal?.aborted) return;
        throw unreachable(server, error as Error);
      } finally {
        // A consumer that stops early (break, return) closes the connection too.
        res.destroy();
      }
    })();
  }

  /** A WebSocket (exec, port-forward) with this connection's TLS and credentials; see KubeWebSocketApi. */
  async webSocket(request: KubeWebSocketRequest): Promise<WebSocket> {
    const t = await this.currentTransport();
    // Loaded when first used: the ws library is no part of a command that never streams.
    const { openKubeWebSocket } = await import('./kube-websocket.js');
    return openKubeWebSocket(this.server, t, this.agents.agentFor(t, 'stream'), request);
  }

  /** Closes the connections this client keeps open. */
  close(): void {
    this.agents.destroy();
  }

  private async readBody(res: http.IncomingMessage, signal: AbortSignal | undefined): Promise<string> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of res) chunks.push(chunk as Buffer);
    } catch (error) {
      throw signal?.aborted ? error : unreachable(this.server, error as Error);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Requests that start together share one working-out of the transport: an exec plugin with no credential yet runs once, not once a request. */
  private currentTransport(): Promise<TransportOptions> {
    this.pending ??= this.transport().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async send(request: KubeRequest, use: AgentUse, body: string | undefined): Promise<http.IncomingMessage> {
    const { signal } = request;
    const t = await this.currentTransport();
    const url = new URL(request.path, this.server);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const headers: Record<string, string> = { Accept: 'application/json', ...(t.headers ?? {}) };
    if (body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const agent = this.agents.agentFor(t, use);
    const client = url.protocol === 'http:' ? http : https;
    const timeout = request.timeoutMs ?? 60_000;
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = client.request(
        url,
        { method: request.method, headers, agent, ...(timeout > 0 ? { timeout } : {}), ...(signal ? { signal } : {}), ...(t.auth ? { auth: t.auth } : {}) },
        resolve,
      );
      req.on('timeout', () => req.destroy(new Error(`${request.method} ${url.pathname} timed out`)));
      req.on('error', (error) => reject(signal?.aborted ? error : unreachable(this.server, error)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

/** The server's Status for a failed call, or its text when it sent something else. */
export function apiError(status: number, text: string): KubeApiError {
  let json: { reason?: string; message?: string; details?: { causes?: KubeApiError['causes'] } };
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { message: text };
  }
  return new KubeApiError(status, json.reason ?? String(status), json.message ?? text, json.details?.causes ?? []);
}

export function unreachable(server: URL, error: Error): QedError {
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

export interface ClusterConnection<Api extends KubeApi = KubeApi> {
  api: Api;
  context: string;
  server: string;
  /** The namespace the context names, when it names one. */
  contextNamespace: string | undefined;
}

