import path from 'node:path';
import { type DockerConfigFs, isMissing, nodeDockerConfigFs } from './docker-config-fs.js';
import { dockerConfigPath } from './docker-config-path.js';

/** The config file as found on disk: read once, then planned over without touching the disk. */
export type DockerConfigFacts =
  | { path: string; exists: false; backups: string[] }
  | {
      path: string;
      exists: true;
      /** The raw text: it holds credentials, so it is never printed. */
      text: string;
      /** Permission bits (e.g. 0o600), kept on rewrite. */
      mode: number;
      /** Backups beside it, full paths, newest first. */
      backups: string[];
    };

export interface ReadDockerConfigOptions {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  fs?: DockerConfigFs;
}

const BACKUP_PATTERN = /^(.+)\.(\d{8}-\d{6})\.bak$/;

export function backupPathFor(file: string, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  // UTC, so the name sorts in time order whatever the machine's zone and DST.
  const stamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${file}.${stamp}.bak`;
}

export async function readDockerConfigFacts(options: ReadDockerConfigOptions): Promise<DockerConfigFacts> {
  const fs = options.fs ?? nodeDockerConfigFs;
  const file = dockerConfigPath(options.env, options.homeDir);
  const backups = await listBackups(file, fs);
  let text: string;
  try {
    text = await fs.readFile(file);
  } catch (error) {
    if (isMissing(error)) return { path: file, exists: false, backups };
    throw error;
  }
  const mode = (await fs.stat(file)).mode & 0o7777;
  return { path: file, exists: true, text, mode, backups };
}

async function listBackups(file: string, fs: DockerConfigFs): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(path.dirname(file));
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const base = path.basename(file);
  return names
    .filter((name) => BACKUP_PATTERN.exec(name)?.[1] === base)
    .sort()
    .reverse()
    .map((name) => path.join(path.dirname(file), name));
}
