import path from 'node:path';
import { type OperatingSystem, QedError, toNodePath } from '@qed/core';
import type { KubeObject, ObjectSource, SourcedObject } from '../kube-object.js';
import { type ManifestProblem, manifestsInvalid, parseManifestText } from '../load-manifests.js';
import { lowercasePortNames } from './lowercase-port-names.js';
import { type MigrationChange, type MigrationReport, type ObjectMigration, startObjectMigration } from './object-migration.js';
import { isComposeFileName } from './read-migration-inputs.js';
import {
  originalColumn,
  type PlaceholderReplacement,
  replacePwdPlaceholders,
} from './replace-placeholders.js';
import { quoteStringValues } from './quote-string-values.js';
import { repairInvalidNames } from './repair-names.js';
import { resolveHostPaths } from './resolve-host-paths.js';
import { upgradeApiVersion } from './upgrade-api-version.js';

export interface MigratedFile {
  /** The input path, as given. */
  source: string;
  /** The file name to write it under: unique within the plan. */
  outName: string;
  objects: KubeObject[];
  /** Where each object came from (same index): every later finding points into the input. */
  sources: ObjectSource[];
}

/** An input that will not be written, and why: each problem names file, line, object and field. */
export interface RefusedFile {
  source: string;
  problems: ManifestProblem[];
}

export interface MigrationPlan {
  /** The files to write: those with no problem. */
  files: MigratedFile[];
  /** Inputs with problems (only when planned with keepGoing; otherwise planning throws). */
  refused: RefusedFile[];
  changes: MigrationChange[];
  /** Things migrated (or left alone) that a person should look at; each names file, line and object. */
  warnings: string[];
}

export interface MigrateOptions {
  /** Absolute path on the user's machine that `{{PWD}}` and relative hostPaths stand for. */
  dataRoot: string;
  hostOs: OperatingSystem;
  /**
   * Return the files that migrated and list the rest under `refused`, rather than
   * throwing for the first problem found in any file (`migrate --keep-going`).
   */
  keepGoing?: boolean;
}

/**
 * What migrating these files would produce, without touching the disk. Every file
 * is read before anything is reported. Without keepGoing a plan is returned only
 * when every file migrated: otherwise all problems of all files are thrown together
 * (MANIFESTS_INVALID, each with file, line and column). The checks that need the
 * schema or a server come after, in validateMigration.
 */
export function planMigration(
  files: Array<{ path: string; text: string }>,
  options: MigrateOptions,
): MigrationPlan {
  const nodeRoot = dataRootOnNode(options);
  const report: MigrationReport = { changes: [], warnings: [], problems: [] };
  const migrated: Array<MigratedFile & { migrations: ObjectMigration[] }> = [];
  const takenNames = new Set<string>();

  for (const file of files) {
    const replaced = replacePwdPlaceholders(file.text, nodeRoot);
    if (replaced.unsafeValue) {
      report.problems.push(...replaced.replacements.map((r) => unsafePlaceholder(file.path, r)));
      continue;
    }
    const parsed = parseManifestText(replaced.text, file.path);
    if (parsed.problems.length > 0 && isComposeFileName(file.path)) {
      // Named explicitly (a folder's Compose files are skipped when it is read): say
      // what it is rather than list every field a Kubernetes object would need.
      report.problems.push({
        file: file.path,
        line: 1,
        column: 1,
        message:
          'a Docker Compose file, not Kubernetes manifests: leave it out (migrating its folder skips it)',
      });
      continue;
    }
    if (parsed.problems.length > 0) {
      report.problems.push(
        ...parsed.problems.map((p) => ({
          ...p,
          column: originalColumn(replaced.replacements, p.line, p.column),
        })),
      );
      continue;
    }
    if (parsed.objects.length === 0) {
      // Still planned (written with only a header), so that every input has its output
      // and writeMigration knows every input it must not overwrite.
      report.warnings.push(`${file.path}: holds no Kubernetes object`);
    }
    const migrations = parsed.objects.map((sourced, i) => {
      const migration = startObjectMigration(sourced, report);
      for (const r of replaced.replacements) {
        if (objectIndexAt(parsed.objects, r.line) === i) {
          report.changes.push({
            file: file.path,
            line: r.line,
            object: migration.name,
            change: `replaced ${r.placeholder} with ${r.value}`,
          });
        }
      }
      upgradeApiVersion(migration);
      resolveHostPaths(migration, nodeRoot);
      lowercasePortNames(migration);
      quoteStringValues(migration);
      return migration;
    });
    const outName = uniqueOutName(file.path, takenNames);
    if (outName !== defaultOutName(file.path)) {
      report.warnings.push(
        `${file.path}: written as ${outName}, because another input is also named ${defaultOutName(file.path)}`,
      );
    }
    migrated.push({
      source: file.path,
      outName,
      objects: migrations.map((m) => m.object),
      sources: parsed.objects.map((o) => o.source),
      migrations,
    });
  }
  // Across files: a claim and the pod that names it are rarely in the same one.
  repairInvalidNames(migrated.flatMap((f) => f.migrations));

  if (report.problems.length > 0 && !options.keepGoing) throw migrationInvalid(report.problems);
  const plan: MigrationPlan = { files: [], refused: [], changes: report.changes, warnings: report.warnings };
  for (const { migrations: _, ...file } of migrated) plan.files.push(file);
  return refuseFilesWithProblems(plan, report.problems);
}

/** The plan without the inputs these problems are in; those are listed as refused. */
export function refuseFilesWithProblems(plan: MigrationPlan, problems: readonly ManifestProblem[]): MigrationPlan {
  if (problems.length === 0) return plan;
  const byFile = new Map<string, ManifestProblem[]>();
  for (const problem of problems) byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem]);
  const refused = [...plan.refused];
  for (const [source, found] of byFile) {
    const existing = refused.find((r) => r.source === source);
    if (existing) existing.problems.push(...found);
    else refused.push({ source, problems: found });
  }
  return { ...plan, files: plan.files.filter((f) => !byFile.has(f.source)), refused };
}

/** The data root as the minikube node sees it; the one place a bad --data-root is caught. */
function dataRootOnNode(options: MigrateOptions): string {
  try {
    return toNodePath(options.dataRoot, options.hostOs);
  } catch (cause) {
    const example = options.hostOs === 'windows' ? 'C:\\Users\\me\\qed' : '/home/me/qed';
    throw new QedError(
      'MIGRATE_DATA_ROOT_INVALID',
      `the data root must be an absolute path on this machine: ${options.dataRoot}`,
      {
        hint: `Pass an absolute folder with --data-root, for example --data-root ${example}.`,
        cause,
        data: { dataRoot: options.dataRoot, hostOs: options.hostOs },
      },
    );
  }
}

function unsafePlaceholder(file: string, r: PlaceholderReplacement): ManifestProblem {
  return {
    file,
    line: r.line,
    column: r.column,
    message:
      `${r.placeholder} cannot be replaced with ${JSON.stringify(r.value)}: written into the YAML it would change ` +
      'what the file means (a quote, backslash, " #" or ": " in the data root); choose a data root without them',
  };
}

/** The object whose document holds `line`: the last one starting at or before it. */
function objectIndexAt(objects: readonly SourcedObject[], line: number): number {
  let index = 0;
  objects.forEach((o, i) => {
    if (o.source.line <= line) index = i;
  });
  return index;
}

function defaultOutName(source: string): string {
  return `${path.basename(source, path.extname(source))}.yaml`;
}

/**
 * Same base name, `.yaml`. Inputs from different folders may share a name; later ones
 * get a numbered suffix, compared without case because macOS and Windows file
 * systems would otherwise let one overwrite the other.
 */
function uniqueOutName(source: string, taken: Set<string>): string {
  const base = path.basename(source, path.extname(source));
  let name = `${base}.yaml`;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}.yaml`;
  taken.add(name.toLowerCase());
  return name;
}

export function migrationInvalid(problems: ManifestProblem[]): QedError {
  return manifestsInvalid(
    problems,
    'manifests to migrate',
    'Fix the places named above and run migrate again (--keep-going writes the files that passed and still exits 1); no file was written.',
  );
}
