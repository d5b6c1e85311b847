import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { QedError } from '@qed/core';
import { listManifestFiles } from '../load-manifests.js';

/**
 * docker-compose.yml, compose.yaml, docker-compose.override.yml … A Compose file is
 * YAML but not a Kubernetes manifest, and the original project kept one beside its
 * manifests: migrating its folder must not fail on it. Converting Compose files is
 * a different command's job.
 */
const COMPOSE_FILE = /^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/i;

export function isComposeFileName(file: string): boolean {
  return COMPOSE_FILE.test(path.basename(file));
}

/**
 * Reads the files named, expanding folders (sorted, as listManifestFiles does) and
 * leaving out Compose files found in them. A Compose file named explicitly is kept,
 * so the user is told it is not a manifest rather than having it silently ignored.
 * A file reached twice is read once.
 */
export async function readMigrationInputs(paths: string[]): Promise<Array<{ path: string; text: string }>> {
  const files: string[] = [];
  for (const p of paths) {
    const isFolder = (await stat(p).catch(() => null))?.isDirectory() === true;
    const listed = await listManifestFiles([p]);
    files.push(...(isFolder ? listed.filter((f) => !isComposeFileName(f)) : listed));
  }
  const seen = new Set<string>();
  const unique = files.filter((f) => {
    const key = path.resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length === 0) {
    throw new QedError(
      'MANIFESTS_NOT_FOUND',
      `no manifest files (.yaml, .yml, .json) in ${paths.join(', ') || 'the paths given (none)'}`,
      {
        hint: 'Name the folder that holds the old manifests (for the original project: its qed_kube checkout) or the files themselves.',
        data: { paths },
      },
    );
  }
  return Promise.all(unique.map(async (file) => ({ path: file, text: await readFile(file, 'utf8') })));
}
