import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { apiserverArgs, binaryPath } from './control-plane.js';
import { testenvLayout } from './layout.js';
import { CONTEXT_NAME, pkiFiles, writeKubeconfig } from './pki.js';
import { findFreePort, isAlive, startDaemon, stopPid, waitFor } from './processes.js';
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
  /** Starts it again on the same port and storage; back once it is ready (/readyz). */
  start(): Promise<void>;
  /** Stops it and drops its objects from etcd. */
  dispose(): Promise<void>;
}

/**
 * Restarting the shared environment's API server would break the suites that use it
 * meanwhile. This starts a second kube-apiserver (the same binary and flags, the
 * same certificates) against the shared etcd, under a key prefix of its own: its
 * objects are stored, validated, defaulted and given ClusterIPs as the shared
 * server's are, but no one else sees them, and it can be stopped and started at
 * will. No controller watches it: Deployments get no ReplicaSets, claims do not
 * bind. Its files go in `dir` (its kubeconfig and log).
 */
export async function startPrivateApiServer(connection: TestenvConnection, dir: string): Promise<PrivateApiServer> {
  const layout = testenvLayout(process.cwd(), { ...process.env, QED_TESTENV_DIR: path.dirname(connection.KUBECONFIG) });
  const state = await readState(layout);
  if (!state) throw new Error(`no test environment state in ${layout.stateFile}`);
  const versions = readPinnedVersions();
  const pki = pkiFiles(layout.pkiDir);
  const etcdUrl = `http://127.0.0.1:${state.ports.etcdClient}`;
  const etcdPrefix = `/qed-private-${randomBytes(6).toString('hex')}/`;
  const port = await findFreePort();
  const server = `https://127.0.0.1:${port}`;
  const kubeconfig = path.join(dir, 'kubeconfig');
  const logFile = path.join(dir, 'kube-apiserver.log');
  await writeKubeconfig(kubeconfig, server, pki);
  const tls = { ca: await readFile(pki.caCert), cert: await readFile(pki.adminCert), key: await readFile(pki.adminKey) };

  let pid: number | null = null;
  // Should the test's process end without dispose(), its API server ends with it.
  const killOnExit = () => {
    if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
  };
  process.on('exit', killOnExit);

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
      pid = startDaemon(binaryPath(layout, versions, 'kube-apiserver', versions.kubernetes), apiserverArgs({ etcdUrl, port, pki, etcdPrefix }), logFile, {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/',
      });
      await waitFor('the private kube-apiserver', () => ready(port, tls), 90_000, logFile);
    });
  const stop = () =>
    serially(async () => {
      if (pid === null) return;
      await stopPid(pid, 30_000);
      pid = null;
    });
  await start();
  return {
    kubeconfig,
    context: CONTEXT_NAME,
    server,
    storage: { etcdUrl, prefix: etcdPrefix },
    pid: () => pid,
    stop,
    start,
    async dispose() {
      await stop();
      process.off('exit', killOnExit);
      await deleteEtcdPrefix(etcdUrl, etcdPrefix);
    },
  };
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

async function deleteEtcdPrefix(etcdUrl: string, prefix: string): Promise<void> {
  await etcdPrefixRequest(etcdUrl, 'deleterange', prefix);
}

/** How many keys etcd holds under the prefix. */
export async function countEtcdKeys(storage: PrivateApiServer['storage']): Promise<number> {
  const answer = (await etcdPrefixRequest(storage.etcdUrl, 'range', storage.prefix, { count_only: true })) as { count?: string };
  return Number(answer.count ?? 0);
}

/** A request on every key under the prefix, through etcd's JSON gateway (keys in base64; the range ends just past the prefix). */
async function etcdPrefixRequest(etcdUrl: string, method: 'range' | 'deleterange', prefix: string, extra: Record<string, unknown> = {}): Promise<unknown> {
  const end = `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const response = await fetch(`${etcdUrl}/v3/kv/${method}`, {
    method: 'POST',
    body: JSON.stringify({ key: b64(prefix), range_end: b64(end), ...extra }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`etcd ${method} of ${prefix}: ${response.status} ${await response.text()}`);
  return response.json();
}
