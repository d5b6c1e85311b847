import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { processStartToken } from '@qed/core';
import { apiserverArgs, binaryPath } from './control-plane.js';
import { testenvLayout } from './layout.js';
import { CONTEXT_NAME, pkiFiles, writeKubeconfig } from './pki.js';
import { deleteEtcdPrefix, etcdPrefixRequest, reapPrivateApiServers, removeRecord, writeRecord } from './private-apiserver-records.js';
import { findFreePort, isAlive, startDaemon, stopPid, waitFor, waitForExit } from './processes.js';
import { readState, type TestenvConnection } from './testenv.js';
import { readPinnedVersions } from './versions.js';

/** A kube-apiserver of a test's own, which it may stop and start again. */
export interface PrivateApiServer {
  /** A kubeconfig whose only context, `context`, is this API server with the admin's certificate. */
  kubeconfig: string;
  context: string;
  server: string;
  /** Where its objects are: the shared etcd, under a prefix of its own. */
  storage: { etcdUrl: string; prefix: string };
  /** The running process, or null while stopped. */
  pid(): number | null;
  /** SIGTERM, as a restart by systemd or the kubelet sends, and back once the process has gone. */
  stop(): Promise<void>;
  /**
   * A stop that stays in its middle until `finish()`: SIGTERM while a request of
   * this process's own is held open inside the server, which a server started with
   * --shutdown-send-retry-after (as this one is, like one behind a load balancer)
   * waits for before it stops listening. Meanwhile it answers every other request
   * (health probes aside) 429 "The apiserver is shutting down, please try again
   * later." Back once it answers so; `finish()` lets the held request go and is
   * back once the process has gone.
   */
  beginStop(): Promise<{ finish(): Promise<void> }>;
  /** Starts it again on the same port and storage; back once it is ready (/readyz). */
  start(): Promise<void>;
  /** Stops it and drops its objects from etcd. */
  dispose(): Promise<void>;
}

type Tls = { ca: Buffer; cert: Buffer; key: Buffer };

/**
 * Restarting the shared environment's API server would break the suites that use it
 * meanwhile. This starts a second kube-apiserver (the same binary and flags, the
 * same certificates) against the shared etcd, under a key prefix of its own: its
 * objects are stored, validated, defaulted and given ClusterIPs as the shared
 * server's are, but no one else sees them, and it can be stopped and started at
 * will. No controller watches it: Deployments get no ReplicaSets, claims do not
 * bind. Its files go in `dir` (its kubeconfig and log); its PID and key prefix go
 * in a record in the environment's folder (private-apiserver-records.ts).
 *
 * Should the test's process end without dispose(), its API server ends with it:
 * on exit, SIGTERM, SIGINT and SIGHUP it is killed (stopWithProcess). Its keys,
 * and a server whose test was SIGKILLed, are removed by the next reaping of
 * records whose test has gone: the next startPrivateApiServer, the next test
 * run's lease, or `testenv down`.
 */
export async function startPrivateApiServer(connection: TestenvConnection, dir: string): Promise<PrivateApiServer> {
  const layout = testenvLayout(process.cwd(), { ...process.env, QED_TESTENV_DIR: path.dirname(connection.KUBECONFIG) });
  const state = await readState(layout);
  if (!state) throw new Error(`no test environment state in ${layout.stateFile}`);
  await reapPrivateApiServers(layout, 'orphaned');
  const versions = readPinnedVersions();
  const pki = pkiFiles(layout.pkiDir);
  const etcdUrl = `http://127.0.0.1:${state.ports.etcdClient}`;
  const id = randomBytes(6).toString('hex');
  const etcdPrefix = `/qed-private-${id}/`;
  const port = await findFreePort();
  const server = `https://127.0.0.1:${port}`;
  const kubeconfig = path.join(dir, 'kubeconfig');
  const logFile = path.join(dir, 'kube-apiserver.log');
  await writeKubeconfig(kubeconfig, server, pki);
  const tls: Tls = { ca: await readFile(pki.caCert), cert: await readFile(pki.adminCert), key: await readFile(pki.adminKey) };

  let pid: number | null = null;
  /** The request a beginStop() holds open, until finish() or stop(). */
  let held: { release(): void } | null = null;
  const owner = { pid: process.pid, processStart: processStartToken(process.pid) };
  const record = () => writeRecord(layout, id, { pid, processStart: pid === null ? null : processStartToken(pid), etcdUrl, etcdPrefix, owner });
  const killNow = () => {
    if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
  };
  await record();
  stopWithProcess.add(killNow);

  // One stop or start at a time, in the order asked: a start asked while a stop is
  // under way comes after it.
  let queue: Promise<void> = Promise.resolve();
  const serially = (step: () => Promise<void>) => {
    const next = queue.then(step);
    queue = next.catch(() => undefined);
    return next;
  };
  const start = () =>
    serially(async () => {
      if (pid !== null) return;
      pid = startDaemon(
        binaryPath(layout, versions, 'kube-apiserver', versions.kubernetes),
        [...apiserverArgs({ etcdUrl, port, pki, etcdPrefix }), '--shutdown-send-retry-after=true'],
        logFile,
        { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/' },
      );
      await record();
      await waitFor('the private kube-apiserver', () => ready(port, tls), 90_000, logFile);
    });
  const stopped = async () => {
    pid = null;
    await record();
  };
  const stop = () =>
    serially(async () => {
      if (pid === null) return;
      if (held) {
        held.release();
        held = null;
        await waitForExit(pid, 30_000);
      } else {
        await stopPid(pid, 30_000);
      }
      await stopped();
    });
  const beginStop = () =>
    serially(async () => {
      if (pid === null) throw new Error('the private kube-apiserver is not running');
      if (held) throw new Error('the private kube-apiserver is already stopping');
      held = await holdRequestOpen(port, tls);
      process.kill(pid, 'SIGTERM');
      await waitFor('the private kube-apiserver answering "shutting down"', () => answersShuttingDown(port, tls), 30_000, logFile);
    }).then(() => ({
      finish: () =>
        serially(async () => {
          if (pid === null || !held) return;
          held.release();
          held = null;
          await waitForExit(pid, 30_000);
          await stopped();
        }),
    }));
  await start();
  return {
    kubeconfig,
    context: CONTEXT_NAME,
    server,
    storage: { etcdUrl, prefix: etcdPrefix },
    pid: () => pid,
    stop,
    beginStop,
    start,
    async dispose() {
      await stop();
      stopWithProcess.delete(killNow);
      await deleteEtcdPrefix(etcdUrl, etcdPrefix);
      await removeRecord(layout, id);
    },
  };
}

/**
 * Kills (SIGKILL, synchronously: nothing else runs then) this process's private API
 * servers when it exits or is stopped by a signal. The listeners go on with the
 * first server, not on import. A signal nothing else in the process listens for
 * is raised again once they are killed, so that the process still ends by it as
 * it would have without them.
 */
const stopWithProcess = {
  kills: new Set<() => void>(),
  listening: false,
  add(kill: () => void) {
    this.kills.add(kill);
    if (this.listening) return;
    this.listening = true;
    process.on('exit', killAll);
    for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
  },
  delete(kill: () => void) {
    this.kills.delete(kill);
  },
};
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
function killAll(): void {
  for (const kill of stopWithProcess.kills) kill();
}
function onStopSignal(signal: NodeJS.Signals): void {
  killAll();
  if (process.listenerCount(signal) === 1) {
    process.off(signal, onStopSignal);
    process.kill(process.pid, signal);
  }
}

/**
 * A request that the server has taken in and that stays open: a create whose body
 * is not sent in full. `Expect: 100-continue` tells when the server's handler
 * starts reading the body, that is, when the request is in flight in it.
 */
function holdRequestOpen(port: number, tls: Tls): Promise<{ release(): void }> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `held-${randomBytes(4).toString('hex')}`, namespace: 'default' } });
  return new Promise((resolve, reject) => {
    let holding = false;
    const request = https.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Expect: '100-continue' },
      agent: false,
      ...tls,
    });
    request.on('continue', () => {
      request.write(body.slice(0, 1));
      holding = true;
      resolve({ release: () => request.destroy() });
    });
    request.on('response', (response) => {
      response.resume();
      if (!holding) reject(new Error(`the held request was answered ${response.statusCode} before its body was sent`));
    });
    request.on('error', (error) => {
      if (!holding) reject(error);
    });
    request.flushHeaders();
  });
}

function answersShuttingDown(port: number, tls: Tls): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get({ host: '127.0.0.1', port, path: '/version', agent: false, ...tls, timeout: 2000 }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on('end', () => resolve(response.statusCode === 429 && /shutting down/.test(text)));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

function ready(port: number, tls: { ca: Buffer; cert: Buffer; key: Buffer }): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get({ host: '127.0.0.1', port, path: '/readyz', ...tls, timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** How many keys etcd holds under the prefix. */
export async function countEtcdKeys(storage: PrivateApiServer['storage']): Promise<number> {
  const answer = (await etcdPrefixRequest(storage.etcdUrl, 'range', storage.prefix, { count_only: true })) as { count?: string };
  return Number(answer.count ?? 0);
}
