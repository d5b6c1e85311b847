export type { MigrationChange } from './object-migration.js';
export {
  type MigratedFile,
  type MigrateOptions,
  type MigrationPlan,
  planMigration,
} from './plan-migration.js';
export { isComposeFileName, readMigrationInputs } from './read-migration-inputs.js';
export { formatMigratedFile, writeMigration } from './write-migration.js';
