import type http from 'node:http';
import type WebSocket from 'ws';
import { apiError, type TransportOptions, unreachable } from './kube-api.js';

/** A WebSocket to the API server: exec, attach, port-forward. */
export interface KubeWebSocketRequest {
  /** e.g. /api/v1/namespaces/qed/pods/web-1/exec */
  path: string;
  /** A key given several times (exec's `command`) takes an array. */
  query?: Record<string, string | readonly string[] | undefined>;
  /** Subprotocols, the most wanted first: the server picks one (WebSocket.protocol). */
  protocols: readonly string[];
  /** Abandons the opening: it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How long the opening handshake may take; default 30 s. */
  timeoutMs?: number;
}

/** Opens WebSockets over the same connection settings (TLS, credentials) as KubeApi's requests. */
export interface KubeWebSocketApi {
  /**
   * Resolves with the open WebSocket, paused (call resume() once listening for its
   * messages), once the server has switched protocols; a
   * refusal (no such pod, a container not running, forbidden) rejects with the
   * server's KubeApiError, a server that cannot be reached with CLUSTER_UNREACHABLE.
   */
  webSocket(request: KubeWebSocketRequest): Promise<WebSocket>;
}

/** The ws:// or wss:// address of a path on the server, with its query (repeated keys in order). */
export function webSocketUrl(server: URL, path: string, query: KubeWebSocketRequest['query'] = {}): URL {
  const url = new URL(path, server);
  url.protocol = server.protocol === 'http:' ? 'ws:' : 'wss:';
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) url.searchParams.append(key, item);
  }
  return url;
}

/**
 * Opens a WebSocket with one working-out of the transport: its TLS material and
 * headers (a bearer token, impersonation), basic auth as a header. `agent` is the
 * connection's agent for long-lived streams, so TLS sessions are resumed rather
 * than negotiated again for each copy or forwarded connection; the upgraded
 * socket leaves the agent's pool.
 */
export async function openKubeWebSocket(
  server: URL,
  transport: TransportOptions,
  agent: http.Agent | undefined,
  request: KubeWebSocketRequest,
): Promise<WebSocket> {
  const { signal } = request;
  signal?.throwIfAborted();
  const { default: WebSocketClass } = await import('ws');
  const headers: Record<string, string> = { ...(transport.headers ?? {}) };
  if (transport.auth && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
    headers.Authorization = `Basic ${Buffer.from(transport.auth).toString('base64')}`;
  }
  const url = webSocketUrl(server, request.path, request.query);
  return new Promise<WebSocket>((resolve, reject) => {
    let settled = false;
    const ws = new WebSocketClass(url, [...request.protocols], {
      headers,
      ...(agent ? { agent } : {}),
      handshakeTimeout: request.timeoutMs ?? 30_000,
      perMessageDeflate: false,
      ...tlsOptions(transport),
    });
    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        ws.terminate();
        reject(error);
      } else resolve(ws);
    };
    const onAbort = () => settle(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    ws.once('open', () => {
      // Paused until the caller listens: what the server sent with its answer would
      // otherwise be read (and lost) before the caller's `await` returns.
      ws.pause();
      settle(undefined);
    });
    ws.once('unexpected-response', (req, res) => {
      // The server refused the upgrade: its Status says why (404 no such pod, 400 no such container, 403).
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => settle(apiError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      res.on('error', (error) => settle(unreachable(server, error)));
      req.on('error', () => undefined);
    });
    ws.on('error', (error) => settle(unreachable(server, error)));
  });
}

function tlsOptions(t: TransportOptions) {
  const pick = <K extends keyof TransportOptions>(key: K) => (t[key] === undefined ? {} : { [key]: t[key] });
  return { ...pick('ca'), ...pick('cert'), ...pick('key'), ...pick('pfx'), ...pick('passphrase'), ...pick('servername'), ...pick('rejectUnauthorized') };
}
