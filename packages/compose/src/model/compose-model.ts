import type { ComposeWarning, Location } from '../source/compose-problem.js';

/**
 * A compose project after reading, interpolation and normalisation: every short
 * and long syntax reduced to one shape, so merging and conversion never look at
 * raw YAML again. Optional fields are absent when the file did not set them,
 * which is what lets a later file override only what it names.
 */
export interface ComposeProject extends ComposeResources {
  /** The project name: `name:` in the file, else the first file's folder. */
  name: string;
  /** Folder of the first file; relative paths resolve against it. */
  projectDir: string;
  services: ServiceModel[];
  warnings: ComposeWarning[];
}

/** The top-level resources of a project (or of one file of it), by their compose names. */
export interface ComposeResources {
  volumes: Map<string, VolumeModel>;
  secrets: Map<string, FileObjectModel>;
  configs: Map<string, FileObjectModel>;
  networks: Map<string, NetworkModel>;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PortMapping {
  target: number;
  /** Host port; absent when only the container port is given. */
  published?: number;
  hostIp?: string;
  protocol: Protocol;
}

export interface ExposedPort {
  port: number;
  protocol: Protocol;
}

export type ServiceVolume =
  | { type: 'volume'; source: string; target: string; readOnly: boolean; at: Location }
  | { type: 'bind'; source: string; target: string; readOnly: boolean; at: Location }
  | { type: 'anonymous' | 'tmpfs'; target: string; readOnly: boolean; at: Location };

export interface Healthcheck {
  /** Exec form: ["CMD", ...] or ["CMD-SHELL", "..."]; absent when only timings are set. */
  test?: string[];
  disable: boolean;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  startPeriodSeconds?: number;
}

export interface ResourceAmounts {
  memoryBytes?: number;
  cpus?: number;
}

export interface EnvFileRef {
  path: string;
  required: boolean;
  at: Location;
}

/** A key present in the file that conversion does not translate, and why. */
export interface UntranslatedKey {
  key: string;
  reason: string;
  at: Location;
}

/**
 * A top-level `secrets:` or `configs:` entry: where its one value comes from. Exactly
 * one of file, content, environment and external says so.
 */
export interface FileObjectModel {
  kind: 'secret' | 'config';
  name: string;
  at: Location;
  /** Where each of its keys is written (file, environment, content, external). */
  keyAt: Map<string, Location>;
  /** `file:`, made absolute against the folder of the compose file that declares it. */
  file?: string;
  /** `file:` as written, for an `include` whose project_directory moves what it is relative to. */
  fileAsWritten?: string;
  /** `content:` (configs only), after interpolation. */
  content?: string;
  /** `environment:`: the variable whose value it is. */
  environment?: string;
  /** That variable's value from the environment or .env; set while loading, absent when unset. */
  environmentValue?: string;
  external: boolean;
  /** `name:` (or `external.name`): the name outside the project, here the Secret's or ConfigMap's. */
  externalName?: string;
  untranslated: UntranslatedKey[];
}

/** A top-level `networks:` entry. */
export interface NetworkModel {
  name: string;
  at: Location;
  external: boolean;
  /** `name:` (or `external.name`): the network's name outside the project. */
  externalName?: string;
  untranslated: UntranslatedKey[];
}

/** A `deploy.placement.constraints` entry as written (`node.labels.disk == ssd`). */
export interface PlacementConstraint {
  expression: string;
  at: Location;
}

/** A service's use of a secret or config (short syntax: only the source). */
export interface FileMount {
  source: string;
  /** As written; absent means the compose default (/run/secrets/<source>, /<source>). */
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
  at: Location;
}

/** A service's `build:` section: what `convert --build local` hands to docker build. */
export interface BuildModel {
  /** As written (relative to the compose file), for messages. */
  context: string;
  /** The context for docker: absolute, or a URL (git, https) as written. */
  contextPath: string;
  /** As written: relative to the context. */
  dockerfile?: string;
  /** `args`; an arg without a value is left to the Dockerfile's default. */
  args: Record<string, string>;
  target?: string;
}

export interface ServiceModel {
  name: string;
  at: Location;
  /** Where each of the service's keys is written, so a warning points at the key, not the service. */
  keyAt: Map<string, Location>;
  image?: string;
  build?: BuildModel;
  command?: string[];
  entrypoint?: string[];
  /** In file order; undefined means "take it from the shell" (`- KEY` with no value). */
  environment: Map<string, string | undefined>;
  envFiles: EnvFileRef[];
  workingDir?: string;
  user?: string;
  restart?: string;
  hostname?: string;
  domainname?: string;
  containerName?: string;
  ports: PortMapping[];
  expose: ExposedPort[];
  volumes: ServiceVolume[];
  volumesFrom: Array<{ service: string; readOnly: boolean; at: Location }>;
  links: Array<{ service: string; alias: string; at: Location }>;
  dependsOn: Array<{ service: string; at: Location }>;
  /** Extra DNS names other services reach this one by (network aliases). */
  networkAliases: string[];
  /** The networks the service is on, as listed; none listed means compose's `default` network. */
  networks: Array<{ name: string; at: Location }>;
  /** `network_mode` as written: `service:db`, `host`, `none`, `bridge`, `container:x`. */
  networkMode?: string;
  readOnly?: boolean;
  /** `group_add`: group ids (or names, which Kubernetes cannot take). */
  groupAdd: string[];
  /** `deploy.mode`: replicated (the default), global, replicated-job, global-job. */
  deployMode?: string;
  placement: { constraints: PlacementConstraint[]; preferences: Array<{ spread: string; at: Location }> };
  /** `deploy.restart_policy`: its condition wins over `restart`, as in kompose. */
  restartPolicy?: { condition?: string; maxAttempts?: number; at: Location };
  healthcheck?: Healthcheck;
  replicas?: number;
  limits: ResourceAmounts;
  reservations: ResourceAmounts;
  labels: Map<string, string>;
  /** Where each label is written, so a warning about one (a kompose.* label) points at it. */
  labelAt: Map<string, Location>;
  /** `deploy.labels`: kompose reads kompose.ephemeral-storage.* from here. */
  deployLabels: Map<string, string>;
  deployLabelAt: Map<string, Location>;
  secrets: FileMount[];
  configs: FileMount[];
  profiles: string[];
  privileged?: boolean;
  capAdd: string[];
  capDrop: string[];
  stdinOpen?: boolean;
  tty?: boolean;
  extraHosts: Array<{ host: string; ip: string }>;
  dns: string[];
  dnsSearch: string[];
  stopGracePeriodSeconds?: number;
  pullPolicy?: string;
  extends?: { service: string; file?: string; at: Location };
  untranslated: UntranslatedKey[];
}

export interface VolumeModel {
  name: string;
  at: Location;
  /** `external: true`: the claim is expected to exist already. */
  external: boolean;
  /** driver_opts {type: none, o: bind, device: P}: a named volume that is really a host folder. */
  bindDevice?: string;
  /** Its `labels:`; kompose reads kompose.volume.size and kompose.volume.selector from here. */
  labels: Map<string, string>;
  labelAt: Map<string, Location>;
  untranslated: UntranslatedKey[];
}

export function emptyVolume(name: string, at: Location): VolumeModel {
  return { name, at, external: false, labels: new Map(), labelAt: new Map(), untranslated: [] };
}

export function emptyService(name: string, at: Location): ServiceModel {
  return {
    name,
    at,
    keyAt: new Map(),
    environment: new Map(),
    envFiles: [],
    ports: [],
    expose: [],
    volumes: [],
    volumesFrom: [],
    links: [],
    dependsOn: [],
    networkAliases: [],
    networks: [],
    groupAdd: [],
    placement: { constraints: [], preferences: [] },
    limits: {},
    reservations: {},
    labels: new Map(),
    labelAt: new Map(),
    deployLabels: new Map(),
    deployLabelAt: new Map(),
    secrets: [],
    configs: [],
    profiles: [],
    capAdd: [],
    capDrop: [],
    extraHosts: [],
    dns: [],
    dnsSearch: [],
    untranslated: [],
  };
}
