export {
  type ApplyClusterDeps,
  type ApplyClusterResult,
  applyClusterPlan,
  ensureContext,
} from './apply-cluster.js';
export { type DriverChoice, type DriverInput, chooseDriver } from './choose-driver.js';
export {
  type ClusterFacts,
  type ClusterSettings,
  type ClusterState,
  type DoctorFinding,
  EXIT_PROFILE_NOT_FOUND,
  type ExistingCluster,
  type GatherOptions,
  type NodeStatus,
  type ProfileListing,
  absentCluster,
  gatherClusterFacts,
  parseProfileList,
  parseStatus,
  readExistingCluster,
} from './cluster-facts.js';
export {
  type ClusterStatusRecord,
  type LifecycleResult,
  clusterDelete,
  clusterStatus,
  clusterStop,
  profileDriver,
} from './cluster-lifecycle.js';
export {
  type ClusterAction,
  type ClusterFlags,
  type ClusterOptions,
  type ClusterPlan,
  type ContainerRuntime,
  type DesiredSettings,
  MINIKUBE_WRITES_CONTAINERD_HOSTS,
  type PlannedCommand,
  type SettingDifference,
  clusterOptionsFrom,
  diffSettings,
  insecureRegistries,
  planCluster,
  startCommand,
} from './cluster-plan.js';
export { hasNoVm, nodeIsHost } from './driver-traits.js';
export { HOST_ALIAS, type NodeRegistryHosting, minikubeRegistryHosting, nodeRegistryHost } from './node-registry.js';
export {
  KNOWN_BAD_MINIKUBE_RELEASES,
  type KnownBadRelease,
  parseMinikubeVersion,
  requireUsableMinikube,
} from './minikube-version.js';
export { mountString } from './node-path.js';
export { validateProfileName } from './profile-name.js';
export { startFailure } from './start-failure.js';
