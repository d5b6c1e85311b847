export { mapLimit } from './async/map-limit.js';
export { QedError, type QedErrorDetails, isQedError } from './errors/qed-error.js';
export { type ConsentRequest, consentRequired, requireConsent } from './consent/require-consent.js';
export { type Clock, fixedClock, systemClock } from './clock/clock.js';
export { nodeWriteFs, type WriteFs, writeFileAtomic } from './fs/write-file-atomic.js';
export { type DirFs, enclosingQedDir, ensureQedDir, nodeDirFs, QED_GITIGNORE } from './fs/ensure-qed-dir.js';
export { describeJsonSyntaxError, describeJsonValue, readJsonFile } from './fs/read-json-file.js';
export { type FileAction, fileAccessError } from './fs/file-access-error.js';
export {
  formatLockFile,
  type HeldLock,
  type LockAttempt,
  lockedElsewhere,
  type LockOwner,
  type MachineFacts,
  parseLockFile,
  type StaleLock,
  staleReason,
  thisMachine,
  tryLockFile,
  UNREADABLE_LOCK_TAKEOVER_MS,
} from './fs/lock-file.js';
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
export {
  ProcessRunner,
  type ProcessRunnerOptions,
} from './runner/process-runner.js';
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
export { isProcessAlive, processStartToken } from './platform/process-liveness.js';
export {
  compareVersions,
  MINIMUM_MINIKUBE_VERSION,
  minorDistance,
  parseVersion,
  type Version,
  versionConstant,
} from './version/version.js';
export {
  CLUSTER_DRIVER_ALIASES,
  CLUSTER_DRIVERS,
  type ClusterConfig,
  type ClusterDriver,
  CONTAINER_RUNTIMES,
  type ContainerRuntime,
  DEFAULT_CLUSTER,
  DEFAULT_IMAGES,
  type ImageConfig,
  type SyncRule,
  QED_SERVICES,
  RETIRED_CLUSTER_DRIVERS,
  type QedConfig,
  type QedServiceName,
  type RegistryConfig,
  defaultQedConfig,
} from './config/qed-config.js';
export {
  DEFAULT_REGISTRY_HOST,
  DEFAULT_REGISTRY_PORT,
  formatRegistryEndpoint,
  parseRegistryEndpoint,
  REGISTRY_HOST_KEY,
  REGISTRY_HOST_PATTERN,
  type RegistryEndpoint,
  readRegistryEndpoint,
  refAsNodePulls,
} from './config/registry-endpoint.js';
export { HOME_FILES, PROJECT_FILES, type ProjectPaths, projectPaths, QED_DIR } from './config/project-paths.js';
export { EXTRA_CONFIG_PATTERN, qedConfigSchema } from './config/config-schema.js';
export {
  type DriverStability,
  type DriverSupport,
  type MinikubeDriver,
  describePlatform,
  driverSupport,
  formatDriverList,
  normalizeClusterDriver,
  suggestedDrivers,
  supportedDrivers,
} from './config/cluster-drivers.js';
export { PROFILE_NAME_MAX_LENGTH, PROFILE_NAME_PATTERN, profileNameProblem, RESERVED_PROFILE_NAMES } from './config/profile-name.js';
export {
  CONFIG_FILE_NAME,
  type ConfigProblem,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  parseConfig,
} from './config/load-config.js';
export { findConfigFile, type IsFile, locateProject, type ProjectLocation } from './config/locate-project.js';
export {
  type ContextSearchFs,
  findImageContexts,
  formatInitConfig,
  type FoundContext,
  type InitConfig,
  nodeContextSearchFs,
} from './config/init-config.js';
export { type OutputFlags, type OutputMode, type TerminalFacts, isTruthyEnv, resolveOutputMode } from './output/output-mode.js';
export { Output, type WritableText, formatTable, visibleWidth } from './output/output.js';
export { formatKubeYaml } from './yaml/kube-yaml.js';
