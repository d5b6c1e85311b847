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
export { joinNodePath, toNodePath } from './node-paths.js';
