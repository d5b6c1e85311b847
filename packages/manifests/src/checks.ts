/**
 * The offline checks alone, for commands that must stay quick to start (`convert`):
 * parsing with locations, the schema and the reference checks, without the
 * Kubernetes client the package's main entry brings along.
 */
export type { SourcedObject } from './kube-object.js';
export { formatProblem, type ManifestProblem, manifestsInvalid, parseManifestText } from './load-manifests.js';
export { checkWrittenText, type WrittenText, type WrittenTextCheck } from './validate/check-written-text.js';
export { type OfflineResult, validateOffline } from './validate/validate-offline.js';
