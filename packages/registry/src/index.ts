export {
  DEFAULT_BIND_ADDRESS,
  DEFAULT_REGISTRY_IMAGE,
  DEFAULT_REGISTRY_NAME,
  REGISTRY_CONTAINER_PORT,
  type RegistryOptions,
  registryHost,
  registryVolumeName,
  resolveRegistryOptions,
} from './registry-options.js';
export {
  type ContainerFacts,
  canBind,
  gatherPortFacts,
  gatherRegistryFacts,
  inspectContainer,
  type PortFacts,
  parseInspect,
  type RegistryFacts,
  type RegistryFactsDeps,
} from './registry-facts.js';
export {
  describeHolder,
  isRegistryImage,
  planRegistryDown,
  planRegistryUp,
  portInUse,
  type RegistryDownPlan,
  type RegistryUpPlan,
} from './registry-plan.js';
export {
  type HealthDeps,
  type HttpGet,
  answersAsRegistry,
  isRegistryHealthy,
  listRepositories,
  waitRegistryHealthy,
} from './registry-health.js';
export {
  applyRegistryDown,
  applyRegistryUp,
  type RegistryApplyDeps,
  type RegistryDownResult,
  type RegistryUpResult,
} from './registry-apply.js';
export { type RegistryState, type RegistryStatus, readRegistryStatus } from './registry-status.js';
export { type RegistryDeps, registryDown, registryStatus, registryUp } from './registry-commands.js';
export {
  LOCAL_REGISTRY_HOSTING_HELP,
  LOCAL_REGISTRY_HOSTING_KEY,
  LOCAL_REGISTRY_HOSTING_NAME,
  LOCAL_REGISTRY_HOSTING_NAMESPACE,
  type LocalRegistryHostingOptions,
  localRegistryHostingConfigMap,
  publishLocalRegistryHosting,
} from './local-registry-hosting.js';
