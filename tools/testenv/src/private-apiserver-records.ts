import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { processStartToken, writeFileAtomic } from '@qed/core';
import type { TestenvLayout } from './layout.js';
import { isAlive, stopPid } from './processes.js';

/**
 * What is needed to stop a private kube-apiserver (startPrivateApiServer) and drop
 * its objects when the test that started it cannot: one file per server in
 * `.testenv/private-apiservers/`, written as it starts and stops, removed by its
 * dispose(). A test process that ends otherwise leaves its record behind, and the
 * record says whose it was.
 */
export interface PrivateApiServerRecord {
  /** The kube-apiserver while it runs; null while stopped. */
  pid: number | null;
  /** Its start token (Linux), so that a later process given the same PID is never stopped. */
  processStart: string | null;
  etcdUrl: string;
  etcdPrefix: string;
  /** The test process that started it. */
  owner: { pid: number; processStart: string | null };
}

export function recordFile(layout: TestenvLayout, id: string): string {
  return path.join(layout.privateApiServersDir, `${id}.json`);
}

export async function writeRecord(layout: TestenvLayout, id: string, record: PrivateApiServerRecord): Promise<void> {
  await mkdir(layout.privateApiServersDir, { recursive: true });
  await writeFileAtomic(recordFile(layout, id), `${JSON.stringify(record, null, 2)}\n`, 0o644);
}

export async function removeRecord(layout: TestenvLayout, id: string): Promise<void> {
  await rm(recordFile(layout, id), { force: true });
}

/**
 * Stops the private API servers whose test process has gone (`orphaned`), or all
 * of them (`all`: `down`, before it stops etcd), deletes their keys from etcd and
 * their records. Run by `down`, by each test run's lease and by each
 * startPrivateApiServer, so what a killed test left goes at the latest with the
 * environment. Returns what it stopped, for `down`'s report. A key prefix that
 * cannot be deleted (etcd down) keeps its record, for the next reaping.
 */
export async function reapPrivateApiServers(layout: TestenvLayout, which: 'orphaned' | 'all'): Promise<string[]> {
  const stopped: string[] = [];
  for (const name of await readdir(layout.privateApiServersDir).catch(() => [] as string[])) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(layout.privateApiServersDir, name);
    const record = await readFile(file, 'utf8').then((text) => JSON.parse(text) as PrivateApiServerRecord, () => null);
    if (!record) continue;
    if (which === 'orphaned' && sameProcess(record.owner.pid, record.owner.processStart)) continue;
    if (record.pid !== null && sameProcess(record.pid, record.processStart) && (await stopPid(record.pid, 30_000)) !== 'not-running') {
      stopped.push(`private kube-apiserver (PID ${record.pid})`);
    }
    const deleted = await deleteEtcdPrefix(record.etcdUrl, record.etcdPrefix).then(
      () => true,
      () => false,
    );
    if (deleted) await rm(file, { force: true });
  }
  return stopped;
}

function sameProcess(pid: number, processStart: string | null): boolean {
  if (!isAlive(pid)) return false;
  const now = processStart === null ? null : processStartToken(pid);
  return now === null || now === processStart;
}

export async function deleteEtcdPrefix(etcdUrl: string, prefix: string): Promise<void> {
  await etcdPrefixRequest(etcdUrl, 'deleterange', prefix);
}

/** A request on every key under the prefix, through etcd's JSON gateway (keys in base64; the range ends just past the prefix). */
export async function etcdPrefixRequest(etcdUrl: string, method: 'range' | 'deleterange', prefix: string, extra: Record<string, unknown> = {}): Promise<unknown> {
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
