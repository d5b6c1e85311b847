export {
  type ApplyUpOptions,
  type BackendDeps,
  type BackendKind,
  type BackendStatus,
  type ClusterAccess,
  type ClusterBackend,
  LOCAL_CLUSTER_CHECKS,
  type LifecycleOutcome,
  type NodeRegistryHosting,
  type RegistryHostingAnswer,
  type ServiceRef,
  type UpAction,
  type UpPlan,
  type UpResult,
} from './cluster-backend.js';
export { type BackendTarget, type ContextMaker, type DetectDeps, detectBackend, recogniseContext } from './detect-backend.js';
export { type ContextEntry, findContextEntry } from './find-context-entry.js';
export { existingContextBackend, type ExistingContextOptions } from './backends/existing-context.js';
export { MINIKUBE_PROVIDER, madeByMinikube, minikubeAccess, minikubeBackend } from './backends/minikube.js';
