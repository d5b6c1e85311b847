import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ensureQedDir, formatKubeYaml, QedError, writeFileAtomic } from '@qed/core';
import type { MigratedFile, MigrationPlan } from './plan-migration.js';

/**
 * The text written for one migrated file, by the one Kubernetes YAML writer: a
 * string kubectl's YAML 1.1 reader would take for something else ("yes", "on",
 * "0755") is quoted, and long commands and paths stay on one line.
 */
export function formatMigratedFile(file: MigratedFile): string {
  const header = `# Migrated from ${path.basename(file.source)} by qed-bootstrap manifests migrate.\n`;
  return (
    header + file.objects.map(formatKubeYaml).join('---\n')
  );
}

/**
 * Writes each planned file into `outDir` (created when missing) and returns the paths
 * written, in plan order. Each file is written to a temporary name beside its target
 * and renamed over it, so an interrupted run never leaves a half-written manifest.
 * Before anything is written, every target is checked against every input: migrate
 * never replaces the files it read (MIGRATE_WOULD_OVERWRITE_INPUT).
 */
export async function writeMigration(plan: MigrationPlan, outDir: string): Promise<string[]> {
  const targets = plan.files.map((file) => ({ file, target: path.resolve(outDir, file.outName) }));
  await refuseToOverwriteInputs(plan, targets);
  await ensureQedDir(outDir).catch((cause: unknown) => {
    throw writeFailed(outDir, cause);
  });
  const written: string[] = [];
  for (const { file, target } of targets) {
    await writeFileAtomic(target, formatMigratedFile(file), 0o644).catch((cause: unknown) => {
      throw writeFailed(target, cause);
    });
    written.push(target);
  }
  return written;
}

async function refuseToOverwriteInputs(
  plan: MigrationPlan,
  targets: Array<{ target: string }>,
): Promise<void> {
  // Refused inputs too: --keep-going skips them, and must not overwrite them either.
  const sources = [...plan.files.map((f) => f.source), ...plan.refused.map((r) => r.source)];
  const inputs = await Promise.all(
    sources.map(async (source) => ({
      path: path.resolve(source),
      id: fileId(await stat(source).catch(() => null)),
    })),
  );
  const clashes: Array<{ target: string; input: string }> = [];
  for (const { target } of targets) {
    // The same path, or (through a link, or letter case on macOS and Windows) the same file.
    const targetId = fileId(await stat(target).catch(() => null));
    const input = inputs.find((i) => i.path === target || (targetId !== null && i.id === targetId));
    if (input) clashes.push({ target, input: input.path });
  }
  if (clashes.length === 0) return;
  throw new QedError(
    'MIGRATE_WOULD_OVERWRITE_INPUT',
    `migrate would overwrite ${clashes.length === 1 ? 'an input file' : `${clashes.length} input files`}: ` +
      clashes.map((c) => (c.target === c.input ? c.target : `${c.target} (${c.input})`)).join(', '),
    {
      hint: 'Write the migrated files to another folder with --out DIR; migrate never replaces the files it reads.',
      data: { clashes },
    },
  );
}

function fileId(info: { dev: number; ino: number } | null): string | null {
  return info ? `${info.dev}:${info.ino}` : null;
}

function writeFailed(target: string, cause: unknown): QedError {
  const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
  return new QedError('MIGRATE_WRITE_FAILED', `could not write ${target}: ${reason}`, {
    hint: 'Check that the --out folder is writable and the disk is not full, then run migrate again.',
    cause,
    data: { target },
  });
}
