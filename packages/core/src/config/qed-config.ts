/**
 * The project config, `qed.config.yaml`: what cluster to make, where the local
 * registry lives, which images and services make up QED, and where volume data
 * goes. Every key is optional; `defaultQedConfig` describes the QED platform as the
 * original guide set it up, so no file is needed to start.
 */
import { QED_DIR } from './project-paths.js';
import { DEFAULT_REGISTRY_HOST } from './registry-endpoint.js';

/**
 * minikube's driver names, as `minikube start --driver` takes them, and `auto`:
 * what the config takes, the prompts offer and the driver choice returns. Which
 * of them minikube offers on which OS and CPU is in cluster-drivers.ts.
 */
export const CLUSTER_DRIVERS = [
  'auto',
  'virtualbox',
  'hyperv',
  'docker',
  'podman',
  'kvm2',
  'qemu2',
  'vfkit',
  'parallels',
  'vmware',
  'none',
] as const;

/**
 * Other names minikube takes for a driver (its AliasQEMU); the config accepts
 * them and keeps minikube's own name, so plans compare with what minikube records.
 */
export const CLUSTER_DRIVER_ALIASES: Readonly<Record<string, (typeof CLUSTER_DRIVERS)[number]>> = { qemu: 'qemu2' };

/**
 * Drivers a config written for older releases may still name: the config loads,
 * and the driver choice refuses them with the reason and what to use instead.
 */
export const RETIRED_CLUSTER_DRIVERS = ['hyperkit'] as const;

export type ClusterDriver = (typeof CLUSTER_DRIVERS)[number] | (typeof RETIRED_CLUSTER_DRIVERS)[number];

/** The node's container runtime, as minikube's --container-runtime names it. */
export const CONTAINER_RUNTIMES = ['docker', 'containerd', 'cri-o'] as const;
export type ContainerRuntime = (typeof CONTAINER_RUNTIMES)[number];

/** The QED services, as the guide's "Kubernetes QED Files" section names them. */
export const QED_SERVICES = [
  'nginx',
  'django',
  'flask',
  'celery',
  'celery-flower',
  'cts-nodejs',
  'cts-manager',
  'cts-worker',
  'redis',
  'mongodb',
  'hms-dotnetcore',
  'dask-scheduler',
  'dask-worker',
  'tomcat',
  'postgres',
] as const;
export type QedServiceName = (typeof QED_SERVICES)[number];

export interface ClusterConfig {
  profile: string;
  driver: ClusterDriver;
  /** Hyper-V only: the external virtual switch minikube attaches the VM to. */
  hypervVirtualSwitch?: string;
  cpus: number;
  memoryMb: number;
  diskSizeMb: number;
  kubernetesVersion?: string;
  /** minikube's --container-runtime; absent: minikube's default. */
  containerRuntime?: ContainerRuntime;
  /**
   * minikube's --extra-config, one `component.key=value` each (component: kubelet,
   * kubeadm, apiserver, controller-manager, scheduler, etcd, kube-proxy), e.g.
   * `kubelet.fail-cgroupv1=false`, which Kubernetes >= 1.35 needs on a cgroup v1 host.
   */
  extraConfig?: string[];
}

export interface RegistryConfig {
  /** HOST:PORT the images are pushed to and pulled from. */
  host: string;
  /** The registry container's name. */
  name: string;
}

export interface ImageConfig {
  name: string;
  /** The remote image, e.g. quanted/qed-django:latest. */
  source: string;
  /** Build context, relative to the config file. Absent: the remote image is used. */
  context?: string;
  dockerfile?: string;
  args?: Record<string, string>;
  target?: string;
  /**
   * `qed-bootstrap dev`: files copied into the running containers instead of a
   * rebuild (interpreted code, templates, static files). A change that matches
   * only these rules is synced; any other change rebuilds the image.
   */
  sync?: SyncRule[];
}

/** Files under the build context matching `src` (a glob, relative to the context) go to `dest` in the container, at their path below the glob's fixed prefix. */
export interface SyncRule {
  src: string;
  dest: string;
}

export interface QedConfig {
  cluster: ClusterConfig;
  registry: RegistryConfig;
  images: ImageConfig[];
  services: QedServiceName[];
  namespace: string;
  /** Where hostPath volume data lives on the host; absolute after loading. */
  dataRoot: string;
}

/** What the QED stack asks of the cluster, and so of the host. */
export const DEFAULT_CLUSTER: ClusterConfig = {
  profile: 'minikube',
  driver: 'auto',
  cpus: 4,
  memoryMb: 8192,
  diskSizeMb: 40_960,
};

export const DEFAULT_IMAGES: ImageConfig[] = [
  { name: 'qed-nginx', source: 'quanted/qed_nginx:latest' },
  { name: 'qed-django', source: 'quanted/qed-django:latest' },
  { name: 'flask-qed', source: 'quanted/flask_qed:latest' },
  { name: 'cts-nodejs', source: 'quanted/cts_nodejs:latest' },
  { name: 'cts-celery', source: 'quanted/cts_celery:latest' },
  { name: 'redis', source: 'quanted/redis:latest' },
  { name: 'mongo', source: 'quanted/mongo:latest' },
  { name: 'hms-dotnetcore', source: 'quanted/hms-dotnetcore:latest' },
  { name: 'qed-dask', source: 'quanted/qed-dask:latest' },
  { name: 'qed-tomcat', source: 'quanted/qed-tomcat:latest' },
  { name: 'postgis', source: 'mdillon/postgis:latest' },
];

export function defaultQedConfig(homeDir: string): QedConfig {
  return {
    cluster: { ...DEFAULT_CLUSTER },
    registry: { host: DEFAULT_REGISTRY_HOST, name: 'registry' },
    images: DEFAULT_IMAGES.map((image) => ({ ...image })),
    services: [...QED_SERVICES],
    namespace: 'qed',
    dataRoot: `${homeDir}/${QED_DIR}/data`,
  };
}
