import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import path from 'node:path';

/** The file operations writing needs; tests substitute failing ones. */
export interface WriteFs {
  writeFile(file: string, data: string, options: { mode: number; flag: string }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: boolean }): Promise<void>;
}

export const nodeWriteFs: WriteFs = {
  writeFile: (file, data, options) => fs.writeFile(file, data, options),
  rename: (from, to) => fs.rename(from, to),
  rm: (file, options) => fs.rm(file, options),
};

/**
 * Writes a file so that readers see the old content or the new, never a part: into
 * a temporary file beside it (created with `mode`, so a secret is never readable by
 * others, not even briefly), then renamed over it. On failure the temporary file is
 * removed and the old file is left as it was.
 */
export async function writeFileAtomic(
  file: string,
  content: string,
  mode: number,
  io: WriteFs = nodeWriteFs,
): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await io.writeFile(temp, content, { mode, flag: 'wx' });
    await io.rename(temp, file);
  } catch (error) {
    await io.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
