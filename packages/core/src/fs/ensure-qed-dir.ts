import * as fs from 'node:fs/promises';
import path from 'node:path';
import { QED_DIR } from '../config/project-paths.js';
import { nodeWriteFs, type WriteFs, writeFileAtomic } from './write-file-atomic.js';

/** The file operations ensureQedDir needs; a writer with its own (faked) file system passes that. */
export interface DirFs extends WriteFs {
  mkdir(dir: string, options: { recursive: true; mode?: number }): Promise<unknown>;
  /** Whether anything is at the path. */
  exists(file: string): Promise<boolean>;
}

export const nodeDirFs: DirFs = {
  ...nodeWriteFs,
  mkdir: (dir, options) => fs.mkdir(dir, options),
  exists: (file) => fs.lstat(file).then(() => true, () => false),
};

/**
 * What `.qed/.gitignore` holds. `.qed/` sits in the user's checkout and holds rendered
 * Secrets and the state of runs (in the home folder, secrets.env): nothing in it
 * belongs in git, this file included.
 */
export const QED_GITIGNORE = '# Written by qed-bootstrap: run state, rendered manifests (Secrets among them) and secrets live here, never in git.\n*\n';

/**
 * Creates `dir` (and its parents) for a writer. When `dir` is a `.qed` folder or lies
 * inside one, that `.qed` folder gets a `.gitignore` ignoring everything unless it has
 * one (a user's own is left as it is); written whole, so a crash never leaves an empty
 * one that ignores nothing. Every writer of the tool's files makes its folder through
 * here, so a `.qed/` the tool made never lacks it. A folder outside any `.qed` (an
 * --out of the user's choosing) is only created.
 */
export async function ensureQedDir(dir: string, options: { mode?: number } = {}, io: DirFs = nodeDirFs): Promise<void> {
  await io.mkdir(dir, { recursive: true, ...(options.mode !== undefined ? { mode: options.mode } : {}) });
  const qedDir = enclosingQedDir(dir);
  if (qedDir === null) return;
  const gitignore = path.join(qedDir, '.gitignore');
  if (!(await io.exists(gitignore))) await writeFileAtomic(gitignore, QED_GITIGNORE, 0o644, io);
}

/** The nearest folder named `.qed` that is `dir` or holds it, or null. */
export function enclosingQedDir(dir: string): string | null {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (path.basename(current) === QED_DIR) return current;
    if (path.dirname(current) === current) return null;
  }
}
