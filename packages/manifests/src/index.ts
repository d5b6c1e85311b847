export {
  describeObject,
  formatFieldPath,
  type KubeObject,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  LABEL_PART_OF,
  MANAGED_BY,
  type ObjectSource,
  PART_OF,
  persistentVolumeName,
  type SourcedObject,
  splitApiVersion,
} from './kube-object.js';
export {
  formatProblem,
  listManifestFiles,
  loadManifests,
  type ManifestProblem,
  manifestsInvalid,
  parseManifestText,
} from './load-manifests.js';
export { FIELD_MANAGER, serverSideApply } from './apply/server-side-apply.js';
export { APPLY_TIERS, type ApplyPlan, type ApplyTier, planApply } from './apply/apply-plan.js';
export { type ApplyAction, type AppliedObject, applyPlan, deleteObjects, listManaged, planPrune } from './apply/apply-manifests.js';
export { runApply, type RunApplyOptions, type RunApplyResult } from './apply/run-apply.js';
export { type ValidationReport, validateManifests } from './validate/validate-manifests.js';
export type { OfflineResult } from './validate/validate-offline.js';
export { checkReferences, type ReferenceReport } from './validate/check-references.js';
export { type Diagnosis, type DiagnosisReason, diagnose } from './wait/diagnose.js';
export { type WaitOptions, type WaitResult, waitReady } from './wait/wait-ready.js';
export { readinessOf, WAITED_KINDS } from './wait/readiness.js';
export { type StackStatus, readStatus } from './status/read-status.js';
export { formatStatus } from './status/format-status.js';
export { describeTeardown, planTeardown, purgedDataFolders, runTeardown, type TeardownPlan } from './status/teardown.js';
export { formatMigratedFile, isComposeFileName, type MigrateOptions, type MigratedFile, type MigrationChange, type MigrationPlan, type MigrationValidation, migrationInvalid, planMigration, readMigrationInputs, type RefusedFile, validateMigration, writeMigration } from './migrate/index.js';
export { checkRenderPlan, formatRenderedFile, MANIFEST_PROFILES, type ManifestProfile, parseSecretsFile, planRender, planSecretValues, readSecretValues, redactPlan, saveGeneratedSecrets, type SecretValuesPlan, renderedObjects, type RenderOptions, type RenderPlan, type RenderedFile, requiredSecretKeys, SECRET_ENV_PREFIX, SECRET_NAME, type SecretValues, writeRender } from './render/index.js';
export { QED_MANIFESTS_DIR } from './manifests-dir.js';
