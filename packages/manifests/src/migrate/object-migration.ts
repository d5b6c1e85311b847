import { describeObject, formatFieldPath, type KubeObject, type SourcedObject } from '../kube-object.js';
import type { ManifestProblem } from '../load-manifests.js';
import type { FieldPath } from '../records.js';

/** One thing migrate changed, located in the user's file. */
export interface MigrationChange {
  file: string;
  /** 1-based line in the input file. */
  line: number;
  /** 'Deployment qed-django' */
  object: string;
  /** One sentence: 'apiVersion extensions/v1beta1 -> apps/v1'. */
  change: string;
}

/** What the rules report while they run; the plan is assembled from it. */
export interface MigrationReport {
  changes: MigrationChange[];
  warnings: string[];
  problems: ManifestProblem[];
}

/**
 * What a rule sees of one object: a copy to rewrite in place, and where to report.
 * Field paths are those of the input document, so every line points into the file the
 * user wrote, even after the object has been rewritten.
 */
export interface ObjectMigration {
  readonly object: KubeObject;
  /** The object as a person names it: 'Deployment qed-django'. */
  readonly name: string;
  change(field: FieldPath, sentence: string): void;
  /** Migrated, but the user should look: a default that changed, a rule that cannot be applied. */
  warn(field: FieldPath, message: string): void;
  /** Cannot be migrated: the whole migration fails and nothing is written. */
  problem(field: FieldPath, message: string): void;
}

export function startObjectMigration(sourced: SourcedObject, report: MigrationReport): ObjectMigration {
  const object = structuredClone(sourced.object);
  const name = describeObject(sourced.object);
  const { file } = sourced.source;
  const lineOf = (field: FieldPath) => sourced.source.lineOf(field);
  return {
    object,
    name,
    change: (field, change) => report.changes.push({ file, line: lineOf(field), object: name, change }),
    warn: (field, message) => report.warnings.push(`${file}:${lineOf(field)}: ${name}: ${message}`),
    problem: (field, message) =>
      report.problems.push({
        file,
        line: lineOf(field),
        column: 1,
        object: name,
        field: formatFieldPath(field),
        message,
      }),
  };
}
