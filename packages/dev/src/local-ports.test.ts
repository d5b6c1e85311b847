import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { bindStablePort, portCandidates } from './local-ports.js';

const refused = (code: string) => Object.assign(new Error(code), { code });

describe('portCandidates', () => {
  it('the port itself, then the next ones up', () => {
    expect(portCandidates(8080, true).slice(0, 3)).toEqual([8080, 8081, 8082]);
    expect(portCandidates(80, true).slice(0, 2)).toEqual([80, 81]);
  });

  it('a privileged port that may not be bound continues from 8000 + port', () => {
    expect(portCandidates(80, false).slice(0, 2)).toEqual([8080, 8081]);
    expect(portCandidates(443, false)[0]).toBe(8443);
    expect(portCandidates(5432, false)[0]).toBe(5432);
  });

  it('never past 65535', () => {
    expect(portCandidates(65_534, true)).toEqual([65_534, 65_535]);
  });
});

describe('bindStablePort', () => {
  it('takes the next port when one is in use', async () => {
    const tried: number[] = [];
    const port = await bindStablePort(8080, async (p) => {
      tried.push(p);
      if (p < 8082) throw refused('EADDRINUSE');
      return p;
    });
    expect(port).toBe(8082);
    expect(tried).toEqual([8080, 8081, 8082]);
  });

  it('moves a privileged port that is refused (not root) to 8000 + port', async () => {
    const tried: number[] = [];
    const port = await bindStablePort(80, async (p) => {
      tried.push(p);
      if (p < 1024) throw refused('EACCES');
      return p;
    });
    expect(port).toBe(8080);
    expect(tried).toEqual([80, 8080]);
  });

  it('throws other errors as they are, and says so when every candidate is taken', async () => {
    await expect(bindStablePort(80, async () => Promise.reject(refused('EADDRNOTAVAIL')))).rejects.toThrow('EADDRNOTAVAIL');
    await expect(bindStablePort(9000, async () => Promise.reject(refused('EADDRINUSE')))).rejects.toThrow(
      'no free local port for port 9000: 9000 to 9049 are all taken on 127.0.0.1',
    );
  });

  it('on a real socket: a port held by another listener is passed over', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const held = (holder.address() as net.AddressInfo).port;
    const bound = await bindStablePort(held, (p) => {
      const server = net.createServer();
      return new Promise<net.Server>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: p, host: '127.0.0.1', exclusive: true }, () => resolve(server));
      });
    });
    try {
      expect((bound.address() as net.AddressInfo).port).toBeGreaterThan(held);
    } finally {
      bound.close();
      holder.close();
    }
  });
});
