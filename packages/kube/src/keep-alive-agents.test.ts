import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepAliveAgents, type TlsMaterial, tlsFingerprint } from './keep-alive-agents.js';
import { HttpsKubeApi, type TransportOptions } from './kube-api.js';

const material = (cert = 'client-cert'): TlsMaterial => ({
  ca: Buffer.from('cluster-ca'),
  cert: Buffer.from(cert),
  key: Buffer.from('client-key'),
});

describe('tlsFingerprint', () => {
  it.each<[string, TlsMaterial, TlsMaterial, boolean]>([
    ['the same content in new Buffers', material(), material(), true],
    ['a string and a Buffer of the same bytes', { ca: 'cluster-ca' }, { ca: Buffer.from('cluster-ca') }, true],
    ['rejectUnauthorized left out and true', { ca: 'x' }, { ca: 'x', rejectUnauthorized: true }, true],
    ['another client certificate', material('cert-1'), material('cert-2'), false],
    ['the same bytes split between other fields', { ca: 'ab', cert: 'c' }, { ca: 'a', cert: 'bc' }, false],
    ['an empty field and a missing one', { ca: 'x', passphrase: '' }, { ca: 'x' }, false],
    ['verification turned off', { ca: 'x' }, { ca: 'x', rejectUnauthorized: false }, false],
    ['another server name', { ca: 'x', servername: 'a' }, { ca: 'x', servername: 'b' }, false],
  ])('%s: same fingerprint %s', (_name, a, b, same) => {
    expect(tlsFingerprint(a) === tlsFingerprint(b)).toBe(same);
  });
});

describe('KeepAliveAgents', () => {
  it('keeps one agent per use while the TLS material is the same by content, though each call brings new Buffers', () => {
    const agents = new KeepAliveAgents('https:');
    const request = agents.agentFor(material(), 'request');
    const stream = agents.agentFor(material(), 'stream');
    expect(agents.agentFor(material(), 'request')).toBe(request);
    expect(agents.agentFor(material(), 'stream')).toBe(stream);
    expect(stream).not.toBe(request);
    expect(request.maxSockets).toBe(16);
    expect(stream.maxSockets).toBe(Infinity);
    agents.destroy();
  });

  it('makes new agents when the client certificate changes', () => {
    const agents = new KeepAliveAgents('https:');
    const before = agents.agentFor(material('cert-1'), 'request');
    const after = agents.agentFor(material('cert-2'), 'request');
    expect(after).not.toBe(before);
    expect(agents.agentFor(material('cert-2'), 'request')).toBe(after);
    agents.destroy();
  });
});

describe('HttpsKubeApi connections (a local HTTP server)', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A server answering {} to everything, keeping every connection and the Authorization header of each request. */
  async function startServer() {
    const connections: Socket[] = [];
    const authorizations: Array<string | undefined> = [];
    server = http.createServer((req, res) => {
      authorizations.push(req.headers.authorization);
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    });
    server.on('connection', (socket: Socket) => connections.push(socket));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, connections, authorizations };
  }

  it('works the credentials out again for each request but keeps the connection; a new certificate moves to a new one and closes the old', async () => {
    const { url, connections, authorizations } = await startServer();
    let cert = 'cert-1';
    let asked = 0;
    const transport = async (): Promise<TransportOptions> => ({ server: url, ...material(cert), headers: { Authorization: `Bearer token-${++asked}` } });
    const api = new HttpsKubeApi(transport, url);

    for (let i = 0; i < 3; i++) await api.request({ method: 'GET', path: '/version' });
    expect(authorizations).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3']);
    expect(connections).toHaveLength(1);

    const first = connections[0] as Socket;
    const firstClosed = new Promise((resolve) => first.once('close', resolve));
    cert = 'cert-2';
    await api.request({ method: 'GET', path: '/version' });
    expect(connections).toHaveLength(2);
    await firstClosed;
    api.close();
  });

  it('asks for the transport once for requests that start together', async () => {
    const { url } = await startServer();
    let asked = 0;
    const api = new HttpsKubeApi(async () => {
      asked++;
      return { server: url, ...material() };
    }, url);
    await Promise.all([1, 2, 3, 4].map(() => api.request({ method: 'GET', path: '/version' })));
    expect(asked).toBe(1);
    await api.request({ method: 'GET', path: '/version' });
    expect(asked).toBe(2);
    api.close();
  });
});
