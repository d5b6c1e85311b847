import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, mkdtemp, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CommandRunner, runOrThrow } from '@qed/core';

/** What the image runs, in the terms of an image config (docker/OCI). */
export interface ImageRuntimeConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  user?: string;
  workingDir?: string;
}

/**
 * Writes a one-layer image as a docker-archive (the format `docker save` writes and
 * both `ctr images import` and `docker load` read) from a root file system folder.
 * Nothing can be pulled here, so every image the lane needs is a folder of files
 * this machine already has; a builder daemon would only copy the folder twice more.
 * The layer is tarred with GNU tar, sorted and with fixed times, so the same folder
 * gives the same digest.
 */
export async function writeImageArchive(
  runner: CommandRunner,
  rootfs: string,
  repoTags: readonly string[],
  config: ImageRuntimeConfig,
  archive: string,
): Promise<void> {
  const staging = await mkdtemp(`${archive}.staging-`);
  try {
    const layer = path.join(staging, 'layer.tar');
    await runOrThrow(
      runner,
      {
        command: 'tar',
        args: ['--create', '--file', layer, '--directory', rootfs, '--numeric-owner', '--sort=name', '--mtime=@0', '--xattrs', '.'],
        timeoutMs: 10 * 60_000,
      },
      { code: 'TESTENV_IMAGE_BUILD', what: `Could not tar ${rootfs} into an image layer`, hint: 'Check the free disk space and that GNU tar is installed.' },
    );
    const diffId = `sha256:${await sha256File(layer)}`;
    const env = Object.entries({ PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...config.env }).map(([k, v]) => `${k}=${v}`);
    const imageConfig = {
      architecture: 'amd64',
      os: 'linux',
      created: '1970-01-01T00:00:00Z',
      config: {
        Env: env,
        ...(config.entrypoint ? { Entrypoint: config.entrypoint } : {}),
        ...(config.cmd ? { Cmd: config.cmd } : {}),
        ...(config.user ? { User: config.user } : {}),
        ...(config.workingDir ? { WorkingDir: config.workingDir } : {}),
      },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created: '1970-01-01T00:00:00Z', created_by: 'qed-testenv writeImageArchive' }],
    };
    const configText = JSON.stringify(imageConfig);
    const configName = `${createHash('sha256').update(configText).digest('hex')}.json`;
    await writeFile(path.join(staging, configName), configText);
    await writeFile(path.join(staging, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: repoTags, Layers: ['layer.tar'] }]));
    const tmp = `${archive}.tmp`;
    await runOrThrow(
      runner,
      { command: 'tar', args: ['--create', '--file', tmp, '--directory', staging, 'manifest.json', configName, 'layer.tar'], timeoutMs: 10 * 60_000 },
      { code: 'TESTENV_IMAGE_BUILD', what: `Could not write the image archive ${archive}`, hint: 'Check the free disk space.' },
    );
    await rename(tmp, archive);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Copies a host program into a root file system with every shared library the
 * dynamic loader resolves for it (`ldd`), at the same paths, so a program built
 * against this machine's libc runs in an image with nothing else in it. A static
 * binary copies alone.
 */
export async function addProgram(runner: CommandRunner, rootfs: string, hostPath: string, imagePath = hostPath): Promise<void> {
  await copyInto(rootfs, hostPath, imagePath);
  for (const library of await sharedLibraries(runner, hostPath)) await copyInto(rootfs, library, library);
}

/** The absolute paths ldd resolves for a program or library; empty for a static one. */
export async function sharedLibraries(runner: CommandRunner, file: string): Promise<string[]> {
  const result = await runner.run({ command: 'ldd', args: [file], timeoutMs: 30_000 });
  if (result.exitCode !== 0) {
    if (/not a dynamic executable|statically linked/.test(result.stdout + result.stderr)) return [];
    throw new Error(`ldd ${file} failed: ${result.stderr.trim()}`);
  }
  const libraries: string[] = [];
  for (const line of result.stdout.split('\n')) {
    if (/not found/.test(line)) throw new Error(`${file} needs a library this machine lacks: ${line.trim()}`);
    const resolved = /=>\s*(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(/.exec(line)?.[1];
    if (resolved) libraries.push(resolved);
  }
  return libraries;
}

/** Copies a file (following symlinks, as the loader does) to the same place in the root file system. */
export async function copyInto(rootfs: string, hostPath: string, imagePath: string): Promise<void> {
  const target = path.join(rootfs, imagePath);
  await mkdir(path.dirname(target), { recursive: true });
  const exists = await lstat(target).catch(() => null);
  if (exists) return;
  await copyFile(hostPath, target);
  const mode = (await stat(hostPath)).mode & 0o7777;
  await chmod(target, mode);
}

/** A symlink inside the root file system, replacing nothing that is already there. */
export async function linkInto(rootfs: string, imagePath: string, linkTarget: string): Promise<void> {
  const link = path.join(rootfs, imagePath);
  await mkdir(path.dirname(link), { recursive: true });
  if (await lstat(link).catch(() => null)) return;
  await symlink(linkTarget, link);
}

/** A stable short hash of the things an image is made from, for its cache name. */
export async function recipeHash(parts: ReadonlyArray<string | { file: string }>): Promise<string> {
  const hash = createHash('sha256');
  for (const part of parts) {
    if (typeof part === 'string') hash.update(`s:${part}\n`);
    else hash.update(`f:${part.file}:`).update(await readFile(part.file));
  }
  return hash.digest('hex').slice(0, 12);
}
