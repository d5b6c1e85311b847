import path from 'node:path';
import { type OperatingSystem, QedError, toNodePath } from '@qed/core';
import type { KubeObject, SourcedObject } from '../kube-object.js';
import { type ManifestProblem, manifestsInvalid, parseManifestText } from '../load-manifests.js';
import { lowercasePortNames } from './lowercase-port-names.js';
import { type MigrationChange, type MigrationReport, startObjectMigration } from './object-migration.js';
import { isComposeFileName } from './read-migration-inputs.js';
import {
  originalColumn,
  type PlaceholderReplacement,
  replacePwdPlaceholders,
} from './replace-placeholders.js';
import { resolveHostPaths } from './resolve-host-paths.js';
import { upgradeApiVersion } from './upgrade-api-version.js';

export interface MigratedFile {
  /** The input path, as given. */
  source: string;
  /** The file name to write it under: unique within the plan. */
  outName: string;
  objects: KubeObject[];
}

export interface MigrationPlan {
  files: MigratedFile[];
  changes: MigrationChange[];
  /** Things migrated (or left alone) that a person should look at; each names file, line and object. */
  warnings: string[];
}

export interface MigrateOptions {
  /** Absolute path on the user's machine that `{{PWD}}` and relative hostPaths stand for. */
  dataRoot: string;
  hostOs: OperatingSystem;
}

/**
 * What migrating these files would produce, without touching the disk. Every file
 * is read before anything is reported, and a plan is returned only when every file
 * migrated: otherwise all problems of all files are thrown together
 * (MANIFESTS_INVALID, each with file, line and column).
 */
export function planMigration(
  files: Array<{ path: string; text: string }>,
  options: MigrateOptions,
): MigrationPlan {
  const nodeRoot = dataRootOnNode(options);
  const report: MigrationReport = { changes: [], warnings: [], problems: [] };
  const migrated: MigratedFile[] = [];
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
    const objects = parsed.objects.map((sourced, i) => {
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
      return migration.object;
    });
    const outName = uniqueOutName(file.path, takenNames);
    if (outName !== defaultOutName(file.path)) {
      report.warnings.push(
        `${file.path}: written as ${outName}, because another input is also named ${defaultOutName(file.path)}`,
      );
    }
    migrated.push({ source: file.path, outName, objects });
  }

  if (report.problems.length > 0) throw migrationInvalid(report.problems);
  return { files: migrated, changes: report.changes, warnings: report.warnings };
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

function migrationInvalid(problems: ManifestProblem[]): QedError {
  const error = manifestsInvalid(problems, 'manifests to migrate');
  // Same code and message as any invalid manifest; the hint says what did not happen here.
  return new QedError(error.code, error.message, {
    hint: 'Fix the places named above and run migrate again; no file was written.',
    ...(error.data ? { data: error.data } : {}),
  });
}
