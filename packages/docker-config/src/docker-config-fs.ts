import * as fs from 'node:fs/promises';
import { nodeWriteFs, type WriteFs } from '@qed/core';

/** The file operations check/fix/revert use; tests substitute failing ones. */
export interface DockerConfigFs extends WriteFs {
  /** Rejects with code ENOENT for a missing file. */
  readFile(file: string): Promise<string>;
  stat(file: string): Promise<{ mode: number }>;
  readdir(dir: string): Promise<string[]>;
  chmod(file: string, mode: number): Promise<void>;
}

export const nodeDockerConfigFs: DockerConfigFs = {
  ...nodeWriteFs,
  readFile: (file) => fs.readFile(file, 'utf8'),
  stat: (file) => fs.stat(file),
  readdir: (dir) => fs.readdir(dir),
  chmod: (file, mode) => fs.chmod(file, mode),
};

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
