export { type DockerConfigFs, nodeDockerConfigFs } from './docker-config-fs.js';
export { dockerConfigPath } from './docker-config-path.js';
export {
  backupPathFor,
  type DockerConfigFacts,
  type ReadDockerConfigOptions,
  readDockerConfigFacts,
} from './docker-config-facts.js';
export {
  checkDockerConfig,
  type DockerConfigFinding,
  type DockerConfigReport,
  findProblems,
  formatDockerConfigReport,
  localRegistryHosts,
} from './check-docker-config.js';
export {
  type ApplyDeps,
  type ApplyOutcome,
  applyDockerConfigFix,
  applyDockerConfigRevert,
  type DockerConfigFixPlan,
  type DockerConfigRevertPlan,
  describeDockerConfigFix,
  planDockerConfigFix,
  planDockerConfigRevert,
} from './fix-docker-config.js';
export {
  type DockerConfigJson,
  detectIndent,
  lineAndColumn,
  parseDockerConfig,
  serializeDockerConfig,
} from './parse-docker-config.js';
export { credentialValues, maskDockerConfig, redactDockerConfigText } from './redact-docker-config.js';
