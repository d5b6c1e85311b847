import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { QedError } from '@qed/core';
import { pack } from 'tar-stream';
import { ExecFailure, runInContainer } from './exec-stream.js';
import { KubeApiError } from './kube-api.js';
import type { KubeWebSocketApi } from './kube-websocket.js';

/** One running container. */
export interface ContainerRef {
  namespace: string;
  pod: string;
  container: string;
}

/** A file of this machine and the absolute path it gets in the container. */
export interface FileToCopy {
  source: string;
  dest: string;
}

/** GNU tar reads and writes records of 20 blocks of 512 bytes. */
const RECORD = 20 * 512;

/** What runs in the container: `kubectl cp`'s extraction, into / with the archive's paths. */
export const UNTAR_COMMAND = ['tar', '-xmf', '-', '-C', '/'] as const;

/**
 * A tar archive with each file at its destination (relative to /, as the
 * extraction runs with -C /), with the source's permission bits and modification
 * time, owned by root (a tar run as root keeps that; any other user extracts as
 * itself). Parent folders are left out: tar makes missing ones and leaves
 * existing ones as they are. Padded to whole records, so a tar that cannot be
 * told its input ended (the v4 protocol) still reads the end marker.
 */
export async function packFiles(files: readonly FileToCopy[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  for (const file of files) {
    const name = archivePath(file.dest);
    const [info, content] = await Promise.all([stat(file.source), readFile(file.source)]);
    await new Promise<void>((resolve, reject) => {
      archive.entry(
        { name, type: 'file', size: content.length, mode: info.mode & 0o7777, mtime: info.mtime, uid: 0, gid: 0, uname: 'root', gname: 'root' },
        content,
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }
  archive.finalize();
  await collected;
  const body = Buffer.concat(chunks);
  const padded = Math.ceil(body.length / RECORD) * RECORD;
  return padded === body.length ? body : Buffer.concat([body, Buffer.alloc(padded - body.length)]);
}

/** The archive's name for an absolute container path: no leading slash, and nothing that climbs out of /. */
export function archivePath(dest: string): string {
  if (!dest.startsWith('/')) throw new Error(`the destination ${dest} is not an absolute path`);
  const normalized = path.posix.normalize(dest).replace(/^\/+/, '');
  if (normalized === '' || normalized.endsWith('/')) throw new Error(`the destination ${dest} names a folder, not a file`);
  return normalized;
}

/**
 * Copies files into a running container as `kubectl cp` does: a tar archive
 * written to `tar -xmf - -C /` over the exec API. Errors name the pod and
 * container and what failed: an image without tar says so, with the fix.
 */
export async function copyIntoContainer(
  api: KubeWebSocketApi,
  target: ContainerRef,
  files: readonly FileToCopy[],
  options: { protocols?: readonly string[]; signal?: AbortSignal } = {},
): Promise<void> {
  const where = `pod ${target.pod} container ${target.container} (namespace ${target.namespace})`;
  const what = `${files.length} file${files.length === 1 ? '' : 's'}`;
  let archive: Buffer;
  try {
    archive = await packFiles(files);
  } catch (error) {
    throw new QedError('KUBE_COPY_FAILED', `cannot copy ${what} into ${where}: ${(error as Error).message}`, { cause: error, hint: 'Check the sync rule and that the file is still there.' });
  }
  let result: Awaited<ReturnType<typeof runInContainer>>;
  try {
    result = await runInContainer(api, { ...target, command: UNTAR_COMMAND, input: archive, ...options });
  } catch (error) {
    throw copyError(error, what, where);
  }
  if (result.exitCode !== 0) {
    const stderr = result.stderr.toString('utf8').trim();
    if (noTar(stderr)) throw noTarError(what, where, stderr);
    throw new QedError('KUBE_COPY_FAILED', `cannot copy ${what} into ${where}: tar exited with code ${result.exitCode}${stderr ? `: ${stderr.split('\n').slice(-3).join(' ')}` : ''}`, {
      hint: 'Check that the destination of the sync rule is a folder the container may write to (not a read-only file system or volume); or let these files rebuild instead (no sync rule).',
      data: { pod: target.pod, container: target.container, exitCode: result.exitCode },
    });
  }
}

function copyError(error: unknown, what: string, where: string): QedError {
  if (error instanceof ExecFailure && noTar(error.message)) return noTarError(what, where, error.message);
  if (error instanceof KubeApiError) {
    return new QedError('KUBE_COPY_FAILED', `cannot copy ${what} into ${where}: the API server refused the exec (${error.status} ${error.reason}: ${error.message})`, {
      cause: error,
      hint: error.status === 404 ? 'The pod is gone (replaced by a rollout?): the next save copies into the pods running then.' : 'Check that the pod is running and that you may exec into it (`kubectl auth can-i create pods/exec`).',
    });
  }
  if (error instanceof QedError) return error;
  return new QedError('KUBE_COPY_FAILED', `cannot copy ${what} into ${where}: ${(error as Error).message}`, { cause: error, hint: 'Check that the container is running (`kubectl get pods`).' });
}

/** Whether the exec says there is no tar to run: the runtime's "executable file not found", or a shell's "tar: not found". */
function noTar(text: string): boolean {
  return /executable file not found|tar: not found|tar: command not found|exec: "?tar"?: .*no such file/i.test(text);
}

function noTarError(what: string, where: string, detail: string): QedError {
  return new QedError('KUBE_COPY_NO_TAR', `cannot copy ${what} into ${where}: the image has no tar (${detail.split('\n')[0]}); copying into a container needs tar in it`, {
    hint: 'Rebuild instead (leave these files out of images[].sync), or add tar to the image.',
    data: { reason: 'no-tar' },
  });
}
