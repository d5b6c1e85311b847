export {
  type ClusterConnection,
  HttpsKubeApi,
  isNotFound,
  type KubeApi,
  KubeApiError,
  type KubeRequest,
  type KubeStreamApi,
  type KubeStreamRequest,
  probeCluster,
  type TransportOptions,
} from './kube-api.js';
export { KeepAliveAgents, MAX_REQUEST_SOCKETS, type TlsMaterial, tlsFingerprint } from './keep-alive-agents.js';
export { type ConnectOptions, connectCluster, type LoadedKubeConfig, loadKubeConfig } from './kubeconfig.js';
export {
  type KubeconfigEntry,
  type KubeconfigFile,
  type KubeconfigSource,
  kubeconfigFiles,
  type MergedKubeconfig,
  mergeKubeconfigs,
  readKubeconfigFile,
} from './kubeconfig-files.js';
export { Discovery, resourcePath, type ResourceInfo } from './discovery.js';
export { type WatchedObject, type WatchEvent, type WatchEventType, type WatchOptions, watch } from './watch.js';
export { type PodLogsOptions, podLogs } from './pod-logs.js';
export { streamLines } from './stream-lines.js';
export { type KubeWebSocketApi, type KubeWebSocketRequest, webSocketUrl } from './kube-websocket.js';
export { ExecFailure, type ExecOptions, type ExecResult, type ExecSession, execInContainer, type RunInContainerOptions, type RunResult, runInContainer } from './exec-stream.js';
export { forwardConnection, listenPortForward, type PortForwardListener, type PortForwardListenOptions, type PortForwardTarget } from './port-forward.js';
export { type ContainerRef, copyIntoContainer, type FileToCopy, packFiles } from './copy-into-container.js';
