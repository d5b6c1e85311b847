import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '@qed/manifests/kube-object';
import { dataKey, kubeName } from './kube-name.js';

/** The largest ConfigMap the API server stores is 1 MiB; bigger binds stay host folders. */
const CONFIGMAP_LIMIT = 1024 * 1024;

export type BindConfigMap =
  /** One file: mounted by subPath at the target, beside what the image has in that folder. */
  | { kind: 'file'; object: KubeObject; key: string }
  /** A folder: the whole volume at the target, each file (nested ones too) at its relative path. */
  | { kind: 'folder'; object: KubeObject; items?: Array<{ key: string; path: string }> }
  /** Not made, and why (the bind stays a hostPath). */
  | { kind: 'skipped'; reason: string };

/**
 * A bind-mounted host file, or with `folders` a host folder, as a ConfigMap of its
 * contents (text as data, the rest as binaryData), as kompose's `--volumes
 * configMap` makes it. What does not exist, is empty or is over 1 MiB is skipped.
 */
export async function bindConfigMap(source: string, name: string, labels: Record<string, string>, options: { folders: boolean }): Promise<BindConfigMap> {
  const facts = await stat(source).catch(() => null);
  if (!facts) return { kind: 'skipped', reason: 'it does not exist on this machine' };
  if (facts.isFile()) {
    if (facts.size > CONFIGMAP_LIMIT) return { kind: 'skipped', reason: `it is ${facts.size} bytes, over the 1 MiB a ConfigMap holds` };
    const key = dataKey(path.basename(source));
    return { kind: 'file', key, object: configMapOf(kubeName(name), labels, [[key, await readFile(source)]]) };
  }
  if (!facts.isDirectory() || !options.folders) return { kind: 'skipped', reason: facts.isDirectory() ? 'it is a folder' : 'it is not a file or folder' };
  const files = await filesUnder(source);
  if (files.length === 0) return { kind: 'skipped', reason: 'the folder is empty' };
  const entries: Array<[string, Buffer]> = [];
  const items: Array<{ key: string; path: string }> = [];
  let size = 0;
  for (const relative of files) {
    const content = await readFile(path.join(source, relative));
    size += content.length;
    if (size > CONFIGMAP_LIMIT) return { kind: 'skipped', reason: 'its files are over the 1 MiB a ConfigMap holds' };
    const wanted = dataKey(relative.split(path.sep).join('.'));
    let key = wanted;
    for (let n = 2; entries.some(([k]) => k === key); n++) key = `${wanted}-${n}`;
    entries.push([key, content]);
    items.push({ key, path: relative.split(path.sep).join('/') });
  }
  const object = configMapOf(kubeName(name), labels, entries);
  // Items are needed only where a file's key is not its path (nested files, renamed keys).
  return items.every((item) => item.key === item.path) ? { kind: 'folder', object } : { kind: 'folder', object, items };
}

function configMapOf(name: string, labels: Record<string, string>, entries: ReadonlyArray<[string, Buffer]>): KubeObject {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const [key, content] of entries) {
    const text = content.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(content)) data[key] = text;
    else binaryData[key] = content.toString('base64');
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels },
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
}

/** Regular files under a folder, recursively, as sorted relative paths; links are followed (not in a loop), special files left out. */
async function filesUnder(dir: string, prefix = '', seen = new Set<string>()): Promise<string[]> {
  const here = await realpath(path.join(dir, prefix));
  if (seen.has(here)) return [];
  seen.add(here);
  const found: string[] = [];
  for (const entry of (await readdir(path.join(dir, prefix))).sort()) {
    const relative = path.join(prefix, entry);
    const facts = await stat(path.join(dir, relative)).catch(() => null);
    if (facts?.isDirectory()) found.push(...(await filesUnder(dir, relative, seen)));
    else if (facts?.isFile()) found.push(relative);
  }
  return found;
}
