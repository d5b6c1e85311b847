import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatKubeYaml, nodeWriteFs, REDACTED, type WriteFs, writeFileAtomic } from '@qed/core';
import type { KubeObject } from '@qed/manifests/kube-object';

export interface ConvertedFile {
  /** qed-django-deployment.yml, as the guide names kompose's files. */
  name: string;
  object: KubeObject;
}

export const CONVERTED_HEADER = '# Converted from compose by qed-bootstrap convert';

export function convertedFiles(objects: readonly KubeObject[]): ConvertedFile[] {
  return objects.map((object) => ({ name: `${object.metadata.name}-${object.kind.toLowerCase()}.yml`, object }));
}

/**
 * One multi-document stream; Secret values are masked unless the caller asks for them.
 * Written, like the files, by formatKubeYaml: kubectl reads YAML 1.1, where a plain
 * `Y`, `off` or `0755` is not a string.
 */
export function formatStream(objects: readonly KubeObject[], options: { revealSecrets: boolean }): string {
  return objects
    .map((object) => formatKubeYaml(options.revealSecrets || object.kind !== 'Secret' ? object : maskSecret(object)))
    .map((text) => `---\n${text}`)
    .join('');
}

function maskSecret(object: KubeObject): KubeObject {
  const data = (object.data ?? {}) as Record<string, string>;
  return { ...object, data: Object.fromEntries(Object.keys(data).map((k) => [k, REDACTED])) };
}

/** The text of one converted file, exactly as writeConvertedFiles writes it. */
export function convertedFileText(file: ConvertedFile): string {
  return `${CONVERTED_HEADER}\n${formatKubeYaml(file.object)}`;
}

export type FileChange = 'created' | 'updated' | 'unchanged';

/**
 * Writes one file per object into `dir`, atomically, and says what changed. Files
 * holding Secrets are written 0600. Nothing else in the folder is touched.
 */
export async function writeConvertedFiles(
  dir: string,
  files: readonly ConvertedFile[],
  fs: WriteFs = nodeWriteFs,
): Promise<Array<{ file: string; change: FileChange }>> {
  // Independent files: written concurrently, each atomically.
  const results = await Promise.all(
    files.map(async (converted): Promise<{ file: string; change: FileChange }> => {
      const { name, object } = converted;
      const file = path.join(dir, name);
      const text = convertedFileText(converted);
      const before = await readFile(file, 'utf8').catch(() => null);
      if (before === text) return { file, change: 'unchanged' };
      await writeFileAtomic(file, text, object.kind === 'Secret' ? 0o600 : 0o644, fs);
      return { file, change: before === null ? 'created' : 'updated' };
    }),
  );
  return results;
}
