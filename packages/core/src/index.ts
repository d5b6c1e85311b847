export { QedError, type QedErrorDetails, isQedError } from './errors/qed-error.js';
export { nodeWriteFs, type WriteFs, writeFileAtomic } from './fs/write-file-atomic.js';
export {
  type CommandResult,
  type CommandRunner,
  type CommandSpec,
  commandNotFound,
  describeCommand,
  runOrThrow,
  shellQuote,
  tailLines,
} from './runner/command-runner.js';
export { ZxCommandRunner, type ZxCommandRunnerOptions } from './runner/zx-command-runner.js';
export { REDACTED, looksLikeSecretName, redactSecrets } from './runner/redact.js';
export {
  type OperatingSystem,
  type PlatformFacts,
  type PlatformSource,
  detectPlatform,
  formatBytes,
  nodePlatformSource,
} from './platform/platform-facts.js';
export { joinNodePath, toNodePath } from './platform/node-paths.js';
export { findPortHolder, parseLsof, type PortHolder } from './platform/port-holder.js';
export {
  compareVersions,
  MINIMUM_MINIKUBE_VERSION,
  minorDistance,
  parseVersion,
  type Version,
  versionConstant,
} from './version/version.js';
export {
  CLUSTER_DRIVERS,
  type ClusterConfig,
  type ClusterDriver,
  DEFAULT_CLUSTER,
  DEFAULT_IMAGES,
  type ImageConfig,
  QED_SERVICES,
  type QedConfig,
  type QedServiceName,
  type RegistryConfig,
  defaultQedConfig,
} from './config/qed-config.js';
export { qedConfigSchema } from './config/config-schema.js';
export { PROFILE_NAME_MAX_LENGTH, PROFILE_NAME_PATTERN, profileNameProblem, RESERVED_PROFILE_NAMES } from './config/profile-name.js';
export {
  CONFIG_FILE_NAME,
  type ConfigProblem,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  parseConfig,
} from './config/load-config.js';
export { type OutputFlags, type OutputMode, type TerminalFacts, isTruthyEnv, resolveOutputMode } from './output/output-mode.js';
export { Output, type WritableText, formatTable, visibleWidth } from './output/output.js';
