export { type ChangeAction, classifyChange, compileSyncRules, type SyncCopy } from './classify-change.js';
export { type ContextChange, isEditorLitter, watchContext } from './context-watcher.js';
export { type BuiltImage, type DevEvent, type DevImage, type DevLoopDeps, runDevLoop, type SyncTarget } from './dev-loop.js';
export { DEV_FIELD_MANAGER, findImageUses, type ImageUse, imageRepository, imageUseOf, type LiveWorkload, listWorkloads, setImage, type Workload, type WorkloadKind } from './live-workloads.js';
export { type LabelSelector, selectorQuery } from './label-selector.js';
export { logLabel, logPrefix, parseDuration, splitTimestamp } from './log-format.js';
export { type LogLine, type NamedWorkload, orderByTime, resolveWorkloads, type ServiceLogsOptions, streamServiceLogs } from './service-logs.js';
export { bindStablePort, portCandidates } from './local-ports.js';
export {
  formatForwards,
  forwardUrl,
  orderServices,
  type ServiceForwards,
  type ServiceForwardsOptions,
  type ServicePortForward,
  startServiceForwards,
} from './service-forwards.js';
