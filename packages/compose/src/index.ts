export { loadCompose, type LoadComposeOptions } from './load-compose.js';
export {
  BIND_FILE_MODES,
  type BindFileMode,
  type Controller,
  CONTROLLERS,
  convertProject,
  type ConvertOptions,
  type ConvertResult,
  SERVICE_GROUP_MODES,
  type ServiceGroupMode,
  VOLUME_MODES,
  type VolumeMode,
} from './convert/convert-project.js';
export { checkConvertedFiles, type ConvertedCheck } from './convert/check-converted.js';
export { chartFiles, type ChartOptions, renderChart } from './convert/chart.js';
export { BUILD_MODES, type BuildMode, type ImageBuild, registryOf, underRegistry } from './convert/image-builds.js';
export { RUN_ONCE_KINDS, type RunOnceKind } from './convert/workloads.js';
export { KOMPOSE_LABELS } from './convert/kompose-labels.js';
export { kubeName } from './convert/kube-name.js';
export {
  type ConvertedFile,
  convertedFiles,
  type FileChange,
  formatStream,
  inNamespace,
  MANIFEST_FORMATS,
  type ManifestFormat,
  withoutConvertAnnotations,
  writeConvertedFiles,
} from './convert/output-files.js';
export type { ComposeProject, ServiceModel } from './model/compose-model.js';
export { COMPOSE_DOCS, type ComposeProblem, type ComposeWarning, formatLocated } from './source/compose-problem.js';
