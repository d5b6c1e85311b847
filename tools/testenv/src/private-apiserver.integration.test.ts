import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { testenvLayout } from './layout.js';
import { pkiFiles } from './pki.js';
import { countEtcdKeys, type PrivateApiServer, startPrivateApiServer } from './private-apiserver.js';
import { type PrivateApiServerRecord, reapPrivateApiServers, recordFile } from './private-apiserver-records.js';
import { isAlive, isPortListening } from './processes.js';
import { describeOnTestenv } from './vitest.js';

const CHILD = fileURLToPath(new URL('./__fixtures__/private-apiserver-child.mjs', import.meta.url));

describeOnTestenv('a private API server on the shared etcd', (connection) => {
  let server: PrivateApiServer | undefined;
  afterAll(async () => {
    await server?.dispose();
  });
  const layout = testenvLayout(process.cwd(), { ...process.env, QED_TESTENV_DIR: path.dirname(connection.KUBECONFIG) });
  const pki = pkiFiles(layout.pkiDir);
  const getOnce = async (server: string, requestPath: string) => {
    const tls = { ca: await readFile(pki.caCert), cert: await readFile(pki.adminCert), key: await readFile(pki.adminKey) };
    return new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const request = https.get(new URL(requestPath, server), { ...tls, agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode, body }));
      });
      request.on('error', reject);
    });
  };
  const kubectl = (kubeconfig: string, args: string[]) => spawnSync('kubectl', [`--kubeconfig=${kubeconfig}`, ...args], { encoding: 'utf8', timeout: 60_000 });
  /** The record `down` reads, found by the server's key prefix. */
  const recordOf = async (prefix: string): Promise<{ file: string; record: PrivateApiServerRecord } | null> => {
    const id = /^\/qed-private-([0-9a-f]+)\/$/.exec(prefix)?.[1] as string;
    const file = recordFile(layout, id);
    const text = await readFile(file, 'utf8').catch(() => null);
    return text === null ? null : { file, record: JSON.parse(text) as PrivateApiServerRecord };
  };

  it('keeps its objects across a stop and start, apart from the shared server; its PID and keys are on record for `down`; dispose leaves no process, no keys and no record', async () => {
    server = await startPrivateApiServer(connection, await mkdtemp(path.join(os.tmpdir(), 'qed-private-api-')));
    const name = `private-${process.pid}`;
    expect(kubectl(server.kubeconfig, ['create', 'configmap', name, '-n', 'default', '--from-literal=a=b']).status).toBe(0);
    expect(kubectl(connection.KUBECONFIG, ['get', 'configmap', name, '-n', 'default']).stderr).toContain('NotFound');

    const pid = server.pid() as number;
    expect((await recordOf(server.storage.prefix))?.record).toMatchObject({ pid, etcdPrefix: server.storage.prefix, owner: { pid: process.pid } });
    const port = Number(new URL(server.server).port);
    await server.stop();
    expect(isAlive(pid)).toBe(false);
    expect(await isPortListening(port)).toBe(false);
    expect((await recordOf(server.storage.prefix))?.record.pid).toBeNull();
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
    expect(await recordOf(storage.prefix)).toBeNull();
  });

  it('beginStop: the server answers "shutting down" (429) until finish(), then it is gone', async () => {
    server = await startPrivateApiServer(connection, await mkdtemp(path.join(os.tmpdir(), 'qed-private-api-')));
    const pid = server.pid() as number;
    const stopping = await server.beginStop();
    // One request, as the apply's client sends it (kubectl would retry a 429 for most of a minute).
    const during = await getOnce(server.server, '/api/v1/namespaces/default/configmaps');
    expect(during).toEqual({ status: 429, body: 'The apiserver is shutting down, please try again later.\n' });
    expect(isAlive(pid)).toBe(true);
    await stopping.finish();
    expect(isAlive(pid)).toBe(false);
    expect(server.pid()).toBeNull();
    await server.dispose();
    server = undefined;
  });

  it('a test process stopped by SIGTERM takes its API server with it; its keys and record go at the next reaping (the next start, the next lease, `down`)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-private-api-'));
    const child = spawn(process.execPath, ['--no-warnings', CHILD, dir], { env: { ...process.env, QED_TESTENV_CONNECTION: JSON.stringify(connection) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const started = await new Promise<{ pid: number; storage: PrivateApiServer['storage'] }>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string));
      });
      void exited.then((how) => reject(new Error(`the child ended (${how}) before it started a server:\n${err}`)));
    });
    try {
      expect(await countEtcdKeys(started.storage)).toBeGreaterThan(10);
      // On record as the child's, before it goes: once it has gone, any test run's lease
      // (other packages' runs lease the same environment at the same time in CI) may
      // reap the record, so the record is only looked at again after a reaping.
      expect((await recordOf(started.storage.prefix))?.record).toMatchObject({ pid: started.pid, owner: { pid: child.pid } });
      child.kill('SIGTERM');
      // Ended by the signal, as it would have without the server: raised again once the server is killed.
      expect(await exited).toBe('SIGTERM');
      // SIGKILLed before the child went; a process of many threads takes an instant to die, a
      // loaded machine's longer. Looked at up to 1500 times, which only bounds a failure.
      for (let look = 0; look < 1500 && isAlive(started.pid); look++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(isAlive(started.pid), 'the API server outlived its test process').toBe(false);

      // Already dead: nothing of ours to stop, only its keys and record to drop (by this
      // reaping, or by a concurrent run's that came first).
      expect(await reapPrivateApiServers(layout, 'orphaned')).not.toContain(`private kube-apiserver (PID ${started.pid})`);
      expect(await countEtcdKeys(started.storage)).toBe(0);
      expect(await recordOf(started.storage.prefix)).toBeNull();
    } finally {
      if (isAlive(started.pid)) process.kill(started.pid, 'SIGKILL');
    }
  });
});
