export type { MigrationChange } from './object-migration.js';
export {
  type MigratedFile,
  type MigrateOptions,
  type MigrationPlan,
  migrationInvalid,
  planMigration,
  type RefusedFile,
} from './plan-migration.js';
export { isComposeFileName, readMigrationInputs } from './read-migration-inputs.js';
export { type MigrationValidation, validateMigration } from './validate-migration.js';
export { formatMigratedFile, writeMigration } from './write-migration.js';
