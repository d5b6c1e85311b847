import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { countEtcdKeys, type PrivateApiServer, startPrivateApiServer } from './private-apiserver.js';
import { isAlive, isPortListening } from './processes.js';
import { describeOnTestenv } from './vitest.js';

describeOnTestenv('a private API server on the shared etcd', (connection) => {
  let server: PrivateApiServer | undefined;
  afterAll(async () => {
    await server?.dispose();
  });
  const kubectl = (kubeconfig: string, args: string[]) => spawnSync('kubectl', [`--kubeconfig=${kubeconfig}`, ...args], { encoding: 'utf8', timeout: 60_000 });

  it('keeps its objects across a stop and start, apart from the shared server; dispose leaves no process and no keys', async () => {
    server = await startPrivateApiServer(connection, await mkdtemp(path.join(os.tmpdir(), 'qed-private-api-')));
    const name = `private-${process.pid}`;
    expect(kubectl(server.kubeconfig, ['create', 'configmap', name, '-n', 'default', '--from-literal=a=b']).status).toBe(0);
    expect(kubectl(connection.KUBECONFIG, ['get', 'configmap', name, '-n', 'default']).stderr).toContain('NotFound');

    const pid = server.pid() as number;
    const port = Number(new URL(server.server).port);
    await server.stop();
    expect(isAlive(pid)).toBe(false);
    expect(await isPortListening(port)).toBe(false);
    expect(kubectl(server.kubeconfig, ['get', 'configmap', name, '-n', 'default', '--request-timeout=5s']).status).not.toBe(0);

    await server.start();
    expect(server.pid()).not.toBe(pid);
    expect(kubectl(server.kubeconfig, ['get', 'configmap', name, '-n', 'default', '-o', 'jsonpath={.data.a}']).stdout).toBe('b');

    const last = server.pid() as number;
    const { storage } = server;
    expect(await countEtcdKeys(storage)).toBeGreaterThan(10);
    await server.dispose();
    server = undefined;
    expect(isAlive(last)).toBe(false);
    expect(await countEtcdKeys(storage)).toBe(0);
  });
});
