import * as fs from 'node:fs/promises';
import path from 'node:path';
import { formatRenderedFile, holdsSecretValues, RENDERED_HEADER } from './format-rendered-file.js';
import type { RenderPlan } from './render-types.js';
import { type DirFs, ensureQedDir, nodeDirFs, QedError, writeFileAtomic } from '@qed/core';

export interface WriteRenderFs extends DirFs {
  readdir(dir: string): Promise<string[]>;
  readFile(file: string, encoding: 'utf8'): Promise<string>;
}

export const nodeWriteRenderFs: WriteRenderFs = {
  ...nodeDirFs,
  readdir: (dir) => fs.readdir(dir),
  readFile: (file, encoding) => fs.readFile(file, encoding),
};

/**
 * Writes every file of the plan into outDir, each atomically; the file holding the
 * Secret is created with mode 0600. Files an earlier render wrote that this plan no
 * longer has (a service dropped by --only, the PV file of another profile) are
 * removed, so `kubectl apply -f outDir` applies exactly the plan; only files that
 * start with render's header are ever touched. outDir is made by ensureQedDir, so the
 * default .qed/manifests comes with .qed/.gitignore. Returns the paths written.
 */
export async function writeRender(
  plan: RenderPlan,
  outDir: string,
  io: WriteRenderFs = nodeWriteRenderFs,
): Promise<string[]> {
  const written: string[] = [];
  let current = outDir;
  try {
    await ensureQedDir(outDir, {}, io);
    for (const file of plan.files) {
      current = path.join(outDir, file.name);
      await writeFileAtomic(current, formatRenderedFile(file), holdsSecretValues(file) ? 0o600 : 0o644, io);
      written.push(current);
    }
    const names = new Set(plan.files.map((file) => file.name));
    for (const name of (await io.readdir(outDir)).sort()) {
      if (names.has(name) || !/\.ya?ml$/.test(name)) continue;
      current = path.join(outDir, name);
      const text = await io.readFile(current, 'utf8').catch(() => '');
      if (text.startsWith(RENDERED_HEADER)) await io.rm(current, { force: true });
    }
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new QedError('RENDER_WRITE_FAILED', `could not write ${current}: ${reason}`, {
      hint: `Check that ${outDir} is a folder you can write to and that the disk is not full; files already written are complete, the one that failed was left as it was.`,
      cause: error,
      data: { path: current, written },
    });
  }
  return written;
}
