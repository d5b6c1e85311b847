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
export { type ConnectOptions, connectCluster, loadKubeConfig } from './kubeconfig.js';
export { Discovery, resourcePath, type ResourceInfo } from './discovery.js';
export { type WatchedObject, type WatchEvent, type WatchEventType, type WatchOptions, watch } from './watch.js';
export { type PodLogsOptions, podLogs } from './pod-logs.js';
export { streamLines } from './stream-lines.js';
