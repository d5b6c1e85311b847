import { split as shellSplit } from 'shlex';
import { parseDurationSeconds } from '../model/compose-units.js';
import type { ServiceModel, VolumeModel } from '../model/compose-model.js';
import type { Location } from '../source/compose-problem.js';
import { isDnsSubdomain, isQuantity } from './kube-name.js';

/**
 * kompose's labels (kompose.service.type, kompose.service.expose, …) read into
 * typed settings, with kompose's meaning. A value that cannot mean anything is a
 * problem; one that is understood but not carried over whole is a warning; a
 * kompose.* label that is not one of them is a warning too: it never becomes an
 * annotation in silence.
 */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless';
export type ControllerKind = 'deployment' | 'statefulset' | 'daemonset' | 'replicationcontroller';
/** The warning a ReplicationController carries, asked for by --controller or kompose.controller.type. */
export const SUPERSEDED_BY_DEPLOYMENT =
  'replicationcontroller makes a v1 ReplicationController, as asked; Deployments supersede it (rolling updates and rollbacks): prefer deployment';
export type VolumeType = 'persistentVolumeClaim' | 'emptyDir' | 'hostPath' | 'configMap';

export interface ProbeSettings {
  disable?: boolean;
  /** Exec command, as kompose's readiness.test gives it. */
  command?: string[];
  httpPath?: string;
  httpPort?: number;
  tcpPort?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  initialDelaySeconds?: number;
}

export interface IngressRoute {
  /** Absent for `true`: the rule matches every host. */
  host?: string;
  path: string;
}

export interface KomposeSettings {
  serviceType?: ServiceType;
  nodePort?: number;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  expose?: { routes: IngressRoute[]; tlsSecret?: string; tls: boolean; ingressClassName?: string };
  group?: string;
  nameOverride?: string;
  controller?: ControllerKind;
  hostPorts?: boolean;
  cronJob?: { schedule: string; concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace'; backoffLimit?: number };
  hpa?: { minReplicas: number; maxReplicas: number; cpu: number; memory: { utilization: number } | { averageValue: string } };
  initContainer?: { name: string; image: string; command?: string[] };
  imagePullSecret?: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  readiness: ProbeSettings;
  liveness: ProbeSettings;
  fsGroup?: number;
  serviceAccountName?: string;
  volumeSize?: string;
  storageClassName?: string;
  volumeType?: VolumeType;
  volumeSubPath?: string;
  ephemeralStorage: { limit?: string; request?: string };
  /** Where a label is written (the service when it is not), for messages about it later. */
  at(label: string): Location;
  /** Its key path, services.web.labels.kompose.service.type. */
  key(label: string): string;
}

export interface LabelReport {
  problem(at: Location, key: string, message: string): void;
  warn(at: Location, key: string, message: string): void;
}

type Handler = (value: string, read: LabelReader) => void;

interface LabelReader {
  settings: KomposeSettings;
  label: string;
  problem(message: string): undefined;
  warn(message: string): void;
  integer(value: string, min: number, max?: number): number | undefined;
  seconds(value: string): number | undefined;
  port(value: string): number | undefined;
  quantity(value: string): string | undefined;
}

const HPA_DEFAULTS = { minReplicas: 1, maxReplicas: 3, cpu: 50, memory: 70 };
const CONCURRENCY = { allow: 'Allow', forbid: 'Forbid', replace: 'Replace' } as const;
const PULL_POLICIES = { always: 'Always', ifnotpresent: 'IfNotPresent', never: 'Never' } as const;
const SERVICE_TYPES = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', headless: 'Headless' } as const;
const VOLUME_TYPES = { persistentvolumeclaim: 'persistentVolumeClaim', emptydir: 'emptyDir', hostpath: 'hostPath', configmap: 'configMap' } as const;

function oneOf<T extends string>(table: Record<string, T>, value: string, read: LabelReader): T | undefined {
  return table[value.trim().toLowerCase()] ?? read.problem(`"${value}" is not one of ${Object.values(table).join(', ')}`);
}

function probe(kind: 'readiness' | 'liveness', field: keyof ProbeSettings): Handler {
  return (value, read) => {
    const settings = read.settings[kind];
    switch (field) {
      case 'disable':
        settings.disable = bool(value, read);
        return;
      case 'command':
        settings.command = probeCommand(value, read);
        return;
      case 'httpPath':
        if (!value.startsWith('/')) read.problem(`"${value}" is not a path: it must start with /`);
        else settings.httpPath = value;
        return;
      case 'httpPort':
      case 'tcpPort':
        settings[field] = read.port(value);
        return;
      case 'failureThreshold':
        settings.failureThreshold = read.integer(value, 1);
        return;
      default:
        settings[field] = read.seconds(value);
    }
  };
}

/** Every label kompose 1.38 reads from a service, and what it means here. */
const SERVICE_LABELS: Record<string, Handler> = {
  'kompose.service.type': (value, read) => {
    read.settings.serviceType = oneOf<ServiceType>(SERVICE_TYPES, value, read);
  },
  'kompose.service.nodeport.port': (value, read) => {
    const port = read.port(value);
    if (port !== undefined && (port < 30000 || port > 32767)) read.warn(`${port} is outside the default NodePort range 30000-32767: the API server refuses it unless its --service-node-port-range allows it`);
    read.settings.nodePort = port;
  },
  'kompose.service.external-traffic-policy': (value, read) => {
    read.settings.externalTrafficPolicy = oneOf(({ cluster: 'Cluster', local: 'Local' }) as const, value, read);
  },
  'kompose.service.expose': (value, read) => {
    const routes = exposeRoutes(value, read);
    if (routes) read.settings.expose = { ...read.settings.expose, routes, tls: read.settings.expose?.tls ?? false };
  },
  'kompose.service.expose.tls-secret': (value, read) => {
    const secret = value.trim();
    if (secret !== 'true' && !isDnsSubdomain(secret)) read.problem(`"${value}" is not a Secret name (lower-case letters, digits, "-" and ".") nor true`);
    else read.settings.expose = { routes: [], ...read.settings.expose, tls: true, ...(secret === 'true' ? {} : { tlsSecret: secret }) };
  },
  'kompose.service.expose.ingress-class-name': (value, read) => {
    if (!isDnsSubdomain(value.trim())) read.problem(`"${value}" is not an IngressClass name`);
    else read.settings.expose = { routes: [], tls: false, ...read.settings.expose, ingressClassName: value.trim() };
  },
  'kompose.service.group': (value, read) => {
    if (value.trim() === '') read.problem('is empty: name the group of services that share one pod');
    else read.settings.group = value.trim();
  },
  'kompose.service.name_override': (value, read) => {
    if (value.trim() === '') read.problem('is empty: give the name the Kubernetes objects of this service get');
    else read.settings.nameOverride = value.trim();
  },
  'kompose.controller.type': (value, read) => {
    const kind = value.trim().toLowerCase();
    if (kind === 'replicationcontroller') read.warn(SUPERSEDED_BY_DEPLOYMENT);
    read.settings.controller = oneOf(({ deployment: 'deployment', statefulset: 'statefulset', daemonset: 'daemonset', replicationcontroller: 'replicationcontroller' }) as const, value, read);
  },
  'kompose.controller.port.expose': (value, read) => {
    read.settings.hostPorts = bool(value, read);
  },
  'kompose.cronjob.schedule': (value, read) => {
    const schedule = value.trim();
    if (!isCronSchedule(schedule)) {
      read.problem(`"${value}" is not a cron schedule: five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly`);
    } else read.settings.cronJob = { ...read.settings.cronJob, schedule };
  },
  'kompose.cronjob.concurrency_policy': (value, read) => {
    const policy = oneOf<'Allow' | 'Forbid' | 'Replace'>(CONCURRENCY, value, read);
    if (policy) read.settings.cronJob = { schedule: '', ...read.settings.cronJob, concurrencyPolicy: policy };
  },
  'kompose.cronjob.backoff_limit': (value, read) => {
    const limit = read.integer(value, 0);
    if (limit !== undefined) read.settings.cronJob = { schedule: '', ...read.settings.cronJob, backoffLimit: limit };
  },
  'kompose.hpa.replicas.min': (value, read) => {
    const min = read.integer(value, 1);
    if (min !== undefined) read.settings.hpa = { ...hpaOf(read), minReplicas: min };
  },
  'kompose.hpa.replicas.max': (value, read) => {
    const max = read.integer(value, 1);
    if (max !== undefined) read.settings.hpa = { ...hpaOf(read), maxReplicas: max };
  },
  'kompose.hpa.cpu': (value, read) => {
    const cpu = percentage(value, read);
    if (cpu !== undefined) read.settings.hpa = { ...hpaOf(read), cpu };
  },
  'kompose.hpa.memory': (value, read) => {
    // kompose's code reads a percentage; its guide shows 512Mi: both are taken, a size as an average value per pod.
    const text = value.trim();
    if (/^\d+\s*%?$/.test(text)) {
      const memory = percentage(text, read);
      if (memory !== undefined) read.settings.hpa = { ...hpaOf(read), memory: { utilization: memory } };
      return;
    }
    const quantity = read.quantity(text);
    if (quantity !== undefined) read.settings.hpa = { ...hpaOf(read), memory: { averageValue: quantity } };
  },
  'kompose.init.containers.name': (value, read) => {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value.trim()) || value.trim().length > 63) read.problem(`"${value}" is not a container name (lower-case letters, digits and "-")`);
    else read.settings.initContainer = { image: '', ...read.settings.initContainer, name: value.trim() };
  },
  'kompose.init.containers.image': (value, read) => {
    if (value.trim() === '') read.problem('is empty: name the image of the init container');
    else read.settings.initContainer = { name: 'init-service', ...read.settings.initContainer, image: value.trim() };
  },
  'kompose.init.containers.command': (value, read) => {
    const command = commandList(value, read);
    if (command) read.settings.initContainer = { name: 'init-service', image: '', ...read.settings.initContainer, command };
  },
  'kompose.image-pull-secret': (value, read) => {
    if (!isDnsSubdomain(value.trim())) read.problem(`"${value}" is not a Secret name (lower-case letters, digits, "-" and ".")`);
    else read.settings.imagePullSecret = value.trim();
  },
  'kompose.image-pull-policy': (value, read) => {
    read.settings.imagePullPolicy = oneOf<'Always' | 'IfNotPresent' | 'Never'>(PULL_POLICIES, value, read);
  },
  'kompose.service.healthcheck.readiness.disable': probe('readiness', 'disable'),
  'kompose.service.healthcheck.readiness.test': probe('readiness', 'command'),
  'kompose.service.healthcheck.readiness.interval': probe('readiness', 'periodSeconds'),
  'kompose.service.healthcheck.readiness.timeout': probe('readiness', 'timeoutSeconds'),
  'kompose.service.healthcheck.readiness.retries': probe('readiness', 'failureThreshold'),
  'kompose.service.healthcheck.readiness.start_period': probe('readiness', 'initialDelaySeconds'),
  'kompose.service.healthcheck.readiness.http_get_path': probe('readiness', 'httpPath'),
  'kompose.service.healthcheck.readiness.http_get_port': probe('readiness', 'httpPort'),
  'kompose.service.healthcheck.readiness.tcp_port': probe('readiness', 'tcpPort'),
  'kompose.service.healthcheck.liveness.http_get_path': probe('liveness', 'httpPath'),
  'kompose.service.healthcheck.liveness.http_get_port': probe('liveness', 'httpPort'),
  'kompose.service.healthcheck.liveness.tcp_port': probe('liveness', 'tcpPort'),
  'kompose.security-context.fsgroup': (value, read) => {
    read.settings.fsGroup = read.integer(value, 0);
  },
  'kompose.serviceaccount-name': (value, read) => {
    if (!isDnsSubdomain(value.trim())) read.problem(`"${value}" is not a ServiceAccount name (lower-case letters, digits, "-" and ".")`);
    else read.settings.serviceAccountName = value.trim();
  },
  'kompose.volume.size': (value, read) => {
    read.settings.volumeSize = read.quantity(value.trim());
  },
  'kompose.volume.storage-class-name': (value, read) => {
    if (!isDnsSubdomain(value.trim())) read.problem(`"${value}" is not a StorageClass name (lower-case letters, digits, "-" and ".")`);
    else read.settings.storageClassName = value.trim();
  },
  'kompose.volume.type': (value, read) => {
    read.settings.volumeType = oneOf<VolumeType>(VOLUME_TYPES, value, read);
  },
  'kompose.volume.subpath': (value, read) => {
    const subPath = value.trim();
    if (subPath === '' || subPath.startsWith('/') || subPath.split('/').includes('..')) read.problem(`"${value}" is not a relative path inside the volume`);
    else read.settings.volumeSubPath = subPath;
  },
  'kompose.ephemeral-storage.limit': (value, read) => {
    read.settings.ephemeralStorage.limit = read.quantity(value.trim());
  },
  'kompose.ephemeral-storage.request': (value, read) => {
    read.settings.ephemeralStorage.request = read.quantity(value.trim());
  },
};

/** Labels kompose reads from a top-level volume. */
const VOLUME_LABELS = ['kompose.volume.size', 'kompose.volume.selector', 'kompose.volume.storage-class-name'] as const;

/** The names of every kompose label convert honours, for the docs and the bench. */
export const KOMPOSE_LABELS: readonly string[] = [...Object.keys(SERVICE_LABELS), 'kompose.volume.selector'].sort();

/** The service's kompose.* labels (and its deploy.labels' ones) as settings; every other label is left alone. */
export function readKomposeLabels(service: ServiceModel, report: LabelReport): KomposeSettings {
  const keyOf = (label: string) => `services.${service.name}.${service.labelAt.has(label) || !service.deployLabelAt.has(label) ? 'labels' : 'deploy.labels'}.${label}`;
  const at = (label: string) => service.labelAt.get(label) ?? service.deployLabelAt.get(label) ?? service.at;
  const settings: KomposeSettings = { readiness: {}, liveness: {}, ephemeralStorage: {}, at, key: keyOf };
  const entries = [...service.labels, ...[...service.deployLabels].filter(([label]) => !service.labels.has(label))];
  for (const [label, value] of entries) {
    if (!label.startsWith('kompose.')) continue;
    const handler = SERVICE_LABELS[label];
    const read = labelReader(settings, label, at(label), keyOf(label), report);
    if (handler) handler(value, read);
    else if (label === 'kompose.volume.selector') read.warn('kompose reads kompose.volume.selector from a top-level volume\'s labels, not a service\'s: move it there');
    else read.warn(unknownLabelMessage(label));
  }
  checkCombinations(settings, service, report);
  return settings;
}

export interface VolumeLabelSettings {
  size?: string;
  selector?: string;
  storageClassName?: string;
}

/** A top-level volume's kompose.volume.* labels. */
export function readVolumeLabels(volume: VolumeModel, report: LabelReport): VolumeLabelSettings {
  const settings: VolumeLabelSettings = {};
  for (const [label, value] of volume.labels) {
    if (!label.startsWith('kompose.')) continue;
    const at = volume.labelAt.get(label) ?? volume.at;
    const key = `volumes.${volume.name}.labels.${label}`;
    const read = labelReader({ readiness: {}, liveness: {}, ephemeralStorage: {}, at: () => at, key: () => key }, label, at, key, report);
    if (label === 'kompose.volume.size') settings.size = read.quantity(value.trim());
    else if (label === 'kompose.volume.selector') {
      if (!/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value.trim()) || value.trim().length > 63) read.problem(`"${value}" is not a label value`);
      else settings.selector = value.trim();
    } else if (label === 'kompose.volume.storage-class-name') {
      if (!isDnsSubdomain(value.trim())) read.problem(`"${value}" is not a StorageClass name`);
      else settings.storageClassName = value.trim();
    } else read.warn(unknownLabelMessage(label, VOLUME_LABELS));
  }
  return settings;
}

function unknownLabelMessage(label: string, known: readonly string[] = KOMPOSE_LABELS): string {
  const near = known.filter((k) => k.split('.').slice(0, 2).join('.') === label.split('.').slice(0, 2).join('.'));
  return `not a label kompose reads: ignored, and not made an annotation${near.length > 0 ? `; did you mean ${near.slice(0, 4).join(', ')}?` : ''}`;
}

function labelReader(settings: KomposeSettings, label: string, at: Location, key: string, report: LabelReport): LabelReader {
  const read: LabelReader = {
    settings,
    label,
    // The key names the label already: services.web.labels.kompose.service.type.
    problem: (message) => {
      report.problem(at, key, message);
      return undefined;
    },
    warn: (message) => report.warn(at, key, message),
    integer: (value, min, max) => {
      const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
      if (Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max)) return n;
      return read.problem(`"${value}" is not a whole number${max === undefined ? ` of at least ${min}` : ` from ${min} to ${max}`}`);
    },
    seconds: (value) => {
      const seconds = parseDurationSeconds(value.trim());
      if (seconds === undefined) return read.problem(`"${value}" is not a duration like 10s or 1m30s`);
      return Math.max(1, Math.ceil(seconds));
    },
    port: (value) => read.integer(value, 1, 65535),
    quantity: (value) => (isQuantity(value) ? value : read.problem(`"${value}" is not a Kubernetes quantity like 512Mi or 2Gi`)),
  };
  return read;
}

function bool(value: string, read: LabelReader): boolean | undefined {
  const text = value.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(text)) return true;
  if (['false', 'no', '0', 'off'].includes(text)) return false;
  return read.problem(`"${value}" is not true or false`);
}

function percentage(value: string, read: LabelReader): number | undefined {
  const match = /^\s*(\d+)\s*%?\s*$/.exec(value);
  const n = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (n >= 1 && n <= 100) return n;
  return read.problem(`"${value}" is not a percentage from 1 to 100`);
}

function hpaOf(read: LabelReader): NonNullable<KomposeSettings['hpa']> {
  return read.settings.hpa ?? { ...HPA_DEFAULTS, memory: { utilization: HPA_DEFAULTS.memory } };
}

/** A label holding a command: a JSON-style list (`["echo", "hi"]`), kompose's `[a, b]`, or a shell line. */
function commandList(value: string, read: LabelReader): string[] | undefined {
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
    } catch {
      // kompose's own form: [a, 'b c'] with items split at commas
    }
    if (text.endsWith(']')) return text.slice(1, -1).split(',').map((item) => item.trim().replace(/^["']|["']$/g, ''));
  }
  try {
    const words = shellSplit(text);
    return words.length > 0 ? words : read.problem('is empty: give the command to run');
  } catch (error) {
    return read.problem(`cannot split "${value}" into words: ${(error as Error).message}`);
  }
}

/** readiness.test: CMD / CMD-SHELL as in a compose healthcheck; NONE turns the probe off. */
function probeCommand(value: string, read: LabelReader): string[] | undefined {
  const words = commandList(value, read);
  if (!words) return undefined;
  const [form, ...rest] = words;
  if (form === 'NONE') {
    read.settings.readiness.disable = true;
    return undefined;
  }
  if (form === 'CMD-SHELL') return ['/bin/sh', '-c', rest.join(' ')];
  if (form === 'CMD') return rest.length > 0 ? rest : read.problem('CMD needs a command after it');
  return words;
}

function exposeRoutes(value: string, read: LabelReader): IngressRoute[] | undefined {
  const text = value.trim();
  if (text.toLowerCase() === 'false') return undefined;
  const routes: IngressRoute[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    if (entry.toLowerCase() === 'true') {
      routes.push({ path: '/' });
      continue;
    }
    const slash = entry.indexOf('/');
    const host = slash < 0 ? entry : entry.slice(0, slash);
    const path = slash < 0 ? '/' : entry.slice(slash);
    if (!isDnsSubdomain(host.replace(/^\*\./, 'wildcard.'))) {
      return read.problem(`"${host}" is not a host name for an Ingress rule (like example.com or *.example.com), nor true`);
    }
    routes.push({ host, path });
  }
  return routes.length > 0 ? routes : read.problem('is empty: give true or host names (example.com/path, …)');
}

/** Kubernetes reads five-field cron lines and the @ shorthands. */
function isCronSchedule(schedule: string): boolean {
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(schedule)) return true;
  const fields = schedule.split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[\d*?/,\-A-Za-z]+$/.test(f));
}

/** What kompose refuses together, and what one label means only with another. */
function checkCombinations(settings: KomposeSettings, service: ServiceModel, report: LabelReport): void {
  const problem = (label: string, message: string) => report.problem(settings.at(label), settings.key(label), message);
  const warn = (label: string, message: string) => report.warn(settings.at(label), settings.key(label), message);
  if (settings.nodePort !== undefined) {
    if (settings.serviceType !== 'NodePort') problem('kompose.service.nodeport.port', 'needs kompose.service.type: nodeport');
    const ports = new Set([...service.ports.map((p) => `${p.published ?? p.target}/${p.protocol}`), ...service.expose.map((e) => `${e.port}/${e.protocol}`)]);
    if (ports.size > 1) problem('kompose.service.nodeport.port', `the service has ${ports.size} ports; a fixed node port needs exactly one`);
  }
  if (settings.expose && settings.expose.routes.length === 0) {
    for (const label of ['kompose.service.expose.tls-secret', 'kompose.service.expose.ingress-class-name']) {
      if (service.labels.has(label)) problem(label, 'needs kompose.service.expose (true or host names)');
    }
    delete settings.expose;
  }
  if (settings.cronJob && !settings.cronJob.schedule) {
    for (const label of ['kompose.cronjob.concurrency_policy', 'kompose.cronjob.backoff_limit']) {
      if (service.labels.has(label)) warn(label, 'has no effect without kompose.cronjob.schedule: no CronJob is made');
    }
    delete settings.cronJob;
  }
  if (settings.initContainer && !settings.initContainer.image) {
    for (const label of ['kompose.init.containers.name', 'kompose.init.containers.command']) {
      if (service.labels.has(label)) warn(label, 'has no effect without kompose.init.containers.image: no init container is made');
    }
    delete settings.initContainer;
  }
  const hpa = settings.hpa;
  if (hpa && hpa.maxReplicas < hpa.minReplicas) {
    warn('kompose.hpa.replicas.max', `${hpa.maxReplicas} is below kompose.hpa.replicas.min ${hpa.minReplicas}: the maximum is raised to ${hpa.minReplicas}`);
    hpa.maxReplicas = hpa.minReplicas;
  }
  for (const kind of ['readiness', 'liveness'] as const) {
    const probe = settings[kind];
    if (probe.httpPath !== undefined && probe.httpPort === undefined) {
      problem(`kompose.service.healthcheck.${kind}.http_get_path`, `needs kompose.service.healthcheck.${kind}.http_get_port`);
    }
  }
}
