import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** What a TLS connection to the API server is bound to: the fields of an https.Agent that make one. */
export interface TlsMaterial {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  pfx?: string | Buffer;
  passphrase?: string;
  servername?: string;
  rejectUnauthorized?: boolean;
}

const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'servername', 'rejectUnauthorized'] as const;

/**
 * The TLS material by content. Each working-out of the transport hands out new
 * Buffers (the files read again; @kubernetes/client-node decodes the kubeconfig's
 * base64 again too), so comparing the objects would never find two equal.
 */
export function tlsFingerprint(tls: TlsMaterial): string {
  const hash = createHash('sha256');
  for (const field of TLS_FIELDS) {
    const value = field === 'rejectUnauthorized' ? (tls.rejectUnauthorized ?? true) : tls[field];
    const bytes = value === undefined ? undefined : Buffer.isBuffer(value) ? value : Buffer.from(String(value));
    // The field and its length before its bytes: no two different sets of fields hash alike.
    hash.update(`${field}:${bytes === undefined ? 'none' : bytes.length}:`);
    if (bytes) hash.update(bytes);
  }
  return hash.digest('hex');
}

/** At most this many connections carry ordinary requests; more wait for a free one. */
export const MAX_REQUEST_SOCKETS = 16;

export type AgentUse = 'request' | 'stream';

/**
 * The keep-alive agents of one API server, kept as long as the TLS material stays
 * the same by content, so a run's requests share a few connections instead of
 * paying a TLS handshake each. Streams (watches, followed logs) hold their
 * connection for as long as they last, so they get an agent of their own: a dev
 * loop's watches can never take the sockets the ordinary requests wait for.
 */
export class KeepAliveAgents {
  private readonly secure: boolean;
  private current: { fingerprint: string; request: http.Agent; stream: http.Agent } | undefined;

  constructor(protocol: string) {
    // http: is what `kubectl proxy` serves; TLS material then has nothing to bind.
    this.secure = protocol !== 'http:';
  }

  agentFor(tls: TlsMaterial, use: AgentUse): http.Agent {
    const fingerprint = tlsFingerprint(tls);
    if (this.current?.fingerprint !== fingerprint) {
      // New certificates (an exec plugin's rotated client certificate, a recreated
      // cluster's files): connections made with the old ones close once their
      // request is done.
      if (this.current) for (const agent of [this.current.request, this.current.stream]) retire(agent);
      this.current = { fingerprint, request: this.newAgent(tls, MAX_REQUEST_SOCKETS), stream: this.newAgent(tls, Infinity) };
    }
    return this.current[use];
  }

  /** Closes every connection, idle or not; the next request opens new ones. */
  destroy(): void {
    if (this.current) for (const agent of [this.current.request, this.current.stream]) agent.destroy();
    this.current = undefined;
  }

  private newAgent(tls: TlsMaterial, maxSockets: number): http.Agent {
    if (!this.secure) return new http.Agent({ keepAlive: true, maxSockets });
    return new https.Agent({
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      pfx: tls.pfx,
      passphrase: tls.passphrase,
      servername: tls.servername,
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
      keepAlive: true,
      maxSockets,
    });
  }
}

/** Idle sockets close now; sockets in use finish their request, then close instead of waiting for the next. */
function retire(agent: http.Agent): void {
  agent.keepSocketAlive = () => false;
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}
