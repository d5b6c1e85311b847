import nodePath from 'node:path';
import { split as shellSplit } from 'shlex';
import type { KeyPath, Location } from '../source/compose-problem.js';
import { normalizeVolumes } from './normalize-volumes.js';
import { type ComposeResources, emptyService, type Healthcheck, type NetworkModel, type PortMapping, type ServiceModel, type ServiceVolume } from './compose-model.js';
import { parseBytes, parseCpus, parseDurationSeconds } from './compose-units.js';
import { type FieldReader, isPlainMap } from './field-reader.js';
import { normalizeFileObjects, readFileMounts } from './normalize-file-objects.js';
import { isHostPath, parsePortSpec, parseProtocol, parseVolumeSpec } from './short-syntax.js';

/** Compose versions whose files this reads; anything else gets a warning, not a refusal. */
const KNOWN_VERSION = /^(1|2|2\.[0-4]|3|3\.[0-9])$/;

/** Keys with no Kubernetes counterpart in a pod template, and why (shown in the warning). */
const UNTRANSLATED: Record<string, string> = {
  logging: 'Kubernetes keeps container logs itself; read them with kubectl logs',
  cpu_shares: 'CPU shares have no Kubernetes equivalent; use cpus or deploy.resources',
  cpu_quota: 'use cpus or deploy.resources',
  cpu_period: 'use cpus or deploy.resources',
  cpuset: 'CPU pinning is the kubelet’s CPU manager policy, not a pod setting',
  memswap_limit: 'Kubernetes pods do not configure swap',
  mem_swappiness: 'Kubernetes pods do not configure swap',
  oom_kill_disable: 'the kubelet decides OOM handling',
  oom_score_adj: 'the kubelet sets OOM scores from the QoS class',
  security_opt: 'use a securityContext (seccompProfile, appArmorProfile, seLinuxOptions) by hand',
  ulimits: 'ulimits are set by the container runtime on the node',
  pid: 'set hostPID by hand if it is really needed',
  ipc: 'set hostIPC by hand if it is really needed',
  devices: 'devices need a device plugin on the node',
  sysctls: 'set securityContext.sysctls by hand; most are unsafe and refused by the kubelet',
  shm_size: 'mount an emptyDir with medium Memory at /dev/shm',
  init: 'add an init process to the image (tini) instead',
  stop_signal: 'Kubernetes always sends SIGTERM; handle it or use a preStop hook',
  platform: 'the node’s architecture decides; build multi-arch images',
  isolation: 'Windows isolation modes are a node setting',
  cgroup_parent: 'the kubelet owns cgroups',
  userns_mode: 'user namespaces are the pod’s hostUsers setting',
  external_links: 'containers outside the project are not in the cluster',
  labels_file: 'not read by convert',
  scale: 'use deploy.replicas or --replicas',
  mac_address: 'pods get their addresses from the cluster network',
  runtime: 'use a RuntimeClass',
  storage_opt: 'storage options belong to the node’s runtime',
  volume_driver: 'use a StorageClass',
  blkio_config: 'block IO limits are not a pod setting',
  device_cgroup_rules: 'devices need a device plugin on the node',
  credential_spec: 'Windows credential specs are set on the pod’s windowsOptions by hand',
  annotations: 'container annotations are not pod annotations; use labels',
  attach: 'has no meaning for a pod',
  develop: 'compose watch has no Kubernetes counterpart; use skaffold',
  post_start: 'use a postStart lifecycle hook by hand',
  pre_stop: 'use a preStop lifecycle hook by hand',
  gpus: 'GPUs need a device plugin and resource limits set by hand',
  models: 'not translated',
  provider: 'not translated',
  use_api_socket: 'not translated',
};

/** Keys conversion reads; everything else is reported. */
const TRANSLATED = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'working_dir', 'user', 'restart', 'healthcheck',
  'ports', 'expose', 'volumes', 'volumes_from', 'links', 'depends_on', 'hostname', 'domainname', 'container_name', 'labels',
  'deploy', 'mem_limit', 'mem_reservation', 'cpus', 'privileged', 'cap_add', 'cap_drop', 'stdin_open', 'tty', 'extra_hosts',
  'dns', 'dns_search', 'dns_opt', 'profiles', 'extends', 'stop_grace_period', 'pull_policy', 'tmpfs', 'secrets', 'configs',
  'network_mode', 'networks', 'read_only', 'group_add',
]);

export interface NormalizedFile extends ComposeResources {
  services: Map<string, ServiceModel>;
  /** Top-level `include:` entries, paths made absolute against this file's folder. */
  include: IncludeRef[];
  name?: string;
}

/** One `include:` entry: files loaded as their own project and added to this one. */
export interface IncludeRef {
  /** The files, merged in order as -f files are; absolute. */
  files: string[];
  /** Where the included files' relative paths point; default: the first file's folder. */
  projectDirectory?: string;
  /** Variables for interpolating them; default: .env in the project directory. */
  envFiles: string[];
  at: Location;
}

/**
 * One interpolated compose file -> services and volumes in one shape. Wrong types
 * become problems on the reader (all of them, located); keys not translated become
 * warnings naming service and key.
 */
export function normalizeFile(value: unknown, reader: FieldReader): NormalizedFile {
  const services = new Map<string, ServiceModel>();
  const nothing = { services, volumes: new Map(), secrets: new Map(), configs: new Map(), networks: new Map(), include: [] };
  if (value === null) {
    reader.problem([], 'the file is empty: there are no services');
    return nothing;
  }
  const top = reader.map(value, []);
  if (!top) return nothing;

  // Version 1 files have no `services:` — every top-level key is a service.
  const v1 = !('services' in top) && !('version' in top) && Object.values(top).some((v) => isPlainMap(v) && ('image' in v || 'build' in v));
  const servicesRaw = v1 ? top : top.services;
  const servicesPath: KeyPath = v1 ? [] : ['services'];

  if (!v1) {
    for (const key of Object.keys(top)) {
      if (key.startsWith('x-') || ['services', 'volumes', 'version', 'name', 'secrets', 'configs', 'networks', 'include'].includes(key)) continue;
      reader.warn([key], `unknown top-level key "${key}" is ignored`);
    }
    if ('version' in top) {
      const version = top.version === null ? '' : String(top.version);
      if (!KNOWN_VERSION.test(version)) reader.warn(['version'], `compose file version "${version}" is unknown; read as the Compose Specification`);
    }
    // A file may be only includes (or an override of an include): its services come from there.
    if (top.services === undefined && top.include === undefined) reader.problem([], 'no "services" key: there is nothing to convert');
  }

  const rawServices = servicesRaw === null || servicesRaw === undefined ? {} : reader.map(servicesRaw, servicesPath);
  for (const [name, raw] of Object.entries(rawServices ?? {})) {
    if (v1 && name.startsWith('x-')) continue;
    const service = normalizeService(name, raw, [...servicesPath, name], reader);
    if (service) services.set(name, service);
  }

  const { volumes } = normalizeVolumes(v1 ? undefined : top.volumes, reader);
  const secrets = normalizeFileObjects('secret', v1 ? undefined : top.secrets, reader);
  const configs = normalizeFileObjects('config', v1 ? undefined : top.configs, reader);
  const networks = v1 ? new Map<string, NetworkModel>() : normalizeNetworks(top.networks, reader);
  const include = v1 ? [] : readInclude(top.include, reader);
  const name = !v1 && typeof top.name === 'string' ? top.name : undefined;
  return { services, volumes, secrets, configs, networks, include, ...(name ? { name } : {}) };
}

function normalizeService(name: string, raw: unknown, path: KeyPath, reader: FieldReader): ServiceModel | undefined {
  const service = emptyService(name, reader.source.locateKey(path));
  if (raw === null) return service;
  const fields = reader.map(raw, path);
  if (!fields) return undefined;

  for (const [key, value] of Object.entries(fields)) {
    const at: KeyPath = [...path, key];
    if (key.startsWith('x-')) continue;
    service.keyAt.set(key, reader.source.locateKey(at));
    if (!TRANSLATED.has(key)) {
      const reason = UNTRANSLATED[key];
      service.untranslated.push({
        key,
        reason: reason ?? 'not a compose key (a typo, or newer than this converter)',
        at: reader.source.locateKey(at),
      });
      continue;
    }
    readKey(service, key, value, at, reader);
  }
  return service;
}

function readKey(service: ServiceModel, key: string, value: unknown, at: KeyPath, reader: FieldReader): void {
  const set = <K extends keyof ServiceModel>(field: K, v: ServiceModel[K] | undefined) => {
    if (v !== undefined) service[field] = v;
  };
  switch (key) {
    case 'image':
    case 'working_dir':
    case 'hostname':
    case 'domainname':
    case 'container_name':
    case 'restart':
    case 'pull_policy': {
      const field = ({ image: 'image', working_dir: 'workingDir', hostname: 'hostname', domainname: 'domainname', container_name: 'containerName', restart: 'restart', pull_policy: 'pullPolicy' } as const)[key];
      if (value !== null) set(field, reader.string(value, at));
      return;
    }
    case 'user':
    case 'network_mode':
      if (value !== null) set(key === 'user' ? 'user' : 'networkMode', reader.string(value, at));
      return;
    case 'networks':
      readNetworks(service, value, at, reader);
      return;
    case 'read_only':
      set('readOnly', reader.boolean(value, at));
      return;
    case 'group_add':
      service.groupAdd.push(...reader.stringList(value, at));
      return;
    case 'build':
      readBuild(service, value, at, reader);
      return;
    case 'command':
    case 'entrypoint':
      if (value !== null) set(key, readCommand(value, at, reader));
      return;
    case 'environment':
      for (const [k, v] of reader.keyValues(value, at)) service.environment.set(k, v);
      return;
    case 'labels':
      for (const [k, v, labelAt] of reader.keyValues(value, at)) {
        service.labels.set(k, v ?? '');
        service.labelAt.set(k, labelAt);
      }
      return;
    case 'secrets':
    case 'configs':
      service[key].push(...readFileMounts(key === 'secrets' ? 'secret' : 'config', value, at, reader, service.name));
      return;
    case 'env_file':
      readEnvFiles(service, value, at, reader);
      return;
    case 'ports':
      readPorts(service, value, at, reader);
      return;
    case 'expose':
      for (const [i, item] of (Array.isArray(value) ? value : []).entries()) {
        const spec = reader.string(item, [...at, i]);
        const parsed = spec === undefined ? undefined : parsePortSpec(spec);
        if (typeof parsed === 'string') reader.problem([...at, i], parsed);
        else for (const p of parsed ?? []) service.expose.push({ port: p.target, protocol: p.protocol });
      }
      if (!Array.isArray(value)) reader.problem(at, 'must be a list of ports');
      return;
    case 'volumes':
      readServiceVolumes(service, value, at, reader);
      return;
    case 'tmpfs':
      for (const target of reader.stringList(value, at, { allowSingle: true })) {
        service.volumes.push({ type: 'tmpfs', target: target.split(':')[0] ?? target, readOnly: false, at: reader.at(at) });
      }
      return;
    case 'volumes_from':
      for (const [i, entry] of reader.stringList(value, at).entries()) {
        const parts = entry.split(':');
        if (parts[0] === 'container') {
          reader.warn([...at, i], `"${entry}" mounts another container's volumes; containers outside the project are not in the cluster`, service.name);
          continue;
        }
        service.volumesFrom.push({ service: parts[0] ?? entry, readOnly: parts[1] === 'ro', at: reader.at([...at, i]) });
      }
      return;
    case 'links':
      for (const [i, entry] of reader.stringList(value, at).entries()) {
        const [target = entry, alias] = entry.split(':');
        service.links.push({ service: target, alias: alias ?? target, at: reader.at([...at, i]) });
      }
      return;
    case 'depends_on':
      if (isPlainMap(value)) {
        for (const dependency of Object.keys(value)) service.dependsOn.push({ service: dependency, at: reader.at([...at, dependency]) });
      } else {
        for (const [i, dependency] of reader.stringList(value, at).entries()) service.dependsOn.push({ service: dependency, at: reader.at([...at, i]) });
      }
      return;
    case 'healthcheck':
      readHealthcheck(service, value, at, reader);
      return;
    case 'deploy':
      readDeploy(service, value, at, reader);
      return;
    case 'mem_limit':
    case 'mem_reservation': {
      const bytes = readBytes(value, at, reader);
      if (bytes !== undefined) (key === 'mem_limit' ? service.limits : service.reservations).memoryBytes = bytes;
      return;
    }
    case 'cpus': {
      const cpus = readCpus(value, at, reader);
      if (cpus !== undefined) service.limits.cpus = cpus;
      return;
    }
    case 'privileged':
    case 'stdin_open':
    case 'tty': {
      const field = ({ privileged: 'privileged', stdin_open: 'stdinOpen', tty: 'tty' } as const)[key];
      set(field, reader.boolean(value, at));
      return;
    }
    case 'cap_add':
    case 'cap_drop':
      service[key === 'cap_add' ? 'capAdd' : 'capDrop'].push(...reader.stringList(value, at));
      return;
    case 'extra_hosts':
      for (const [host, ip] of extraHosts(value, at, reader)) service.extraHosts.push({ host, ip });
      return;
    case 'dns':
      service.dns.push(...reader.stringList(value, at, { allowSingle: true }));
      return;
    case 'dns_search':
      service.dnsSearch.push(...reader.stringList(value, at, { allowSingle: true }));
      return;
    case 'dns_opt':
      service.untranslated.push({ key, reason: 'set dnsConfig.options by hand', at: reader.source.locateKey(at) });
      return;
    case 'profiles':
      service.profiles.push(...reader.stringList(value, at));
      return;
    case 'extends':
      readExtends(service, value, at, reader);
      return;
    case 'stop_grace_period': {
      const seconds = typeof value === 'string' || typeof value === 'number' ? parseDurationSeconds(value) : undefined;
      if (seconds === undefined) reader.problem(at, `must be a duration like 10s or 1m30s, not ${JSON.stringify(value)}`);
      else service.stopGracePeriodSeconds = Math.ceil(seconds);
      return;
    }
  }
}

function readBuild(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  // A URL (git or https) is handed to docker as is; a path is relative to the compose file.
  const contextPath = (context: string) => (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context) ? context : nodePath.resolve(nodePath.dirname(reader.source.file), context));
  if (typeof value === 'string') {
    service.build = { context: value, contextPath: contextPath(value), args: {} };
    return;
  }
  const build = reader.map(value, at);
  if (!build) return;
  const context = build.context === undefined ? '.' : reader.string(build.context, [...at, 'context']);
  const dockerfile = build.dockerfile === undefined ? undefined : reader.string(build.dockerfile, [...at, 'dockerfile']);
  const target = build.target === undefined ? undefined : reader.string(build.target, [...at, 'target']);
  const args: Record<string, string> = {};
  if (build.args !== undefined) for (const [k, v] of reader.keyValues(build.args, [...at, 'args'])) if (v !== undefined) args[k] = v;
  if (context !== undefined) service.build = { context, contextPath: contextPath(context), ...(dockerfile ? { dockerfile } : {}), args, ...(target ? { target } : {}) };
}

/** A string is split the way compose splits it (shell words, no shell run); a list is taken as is. */
function readCommand(value: unknown, at: KeyPath, reader: FieldReader): string[] | undefined {
  if (typeof value === 'string') {
    try {
      return shellSplit(value);
    } catch (error) {
      return reader.problem(at, `cannot split "${value}" into words: ${(error as Error).message}`);
    }
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? String(item) : (reader.problem([...at, i], 'must be a string') ?? '')));
  }
  return reader.problem(at, 'must be a string or a list of strings');
}

function readEnvFiles(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  const entries = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!entries) {
    reader.problem(at, 'must be a path or a list of paths');
    return;
  }
  for (const [i, entry] of entries.entries()) {
    const itemPath = typeof value === 'string' ? at : [...at, i];
    if (isPlainMap(entry)) {
      const file = reader.string(entry.path, [...itemPath, 'path']);
      const required = entry.required === undefined ? true : reader.boolean(entry.required, [...itemPath, 'required']);
      if (file !== undefined) service.envFiles.push({ path: file, required: required ?? true, at: reader.at(itemPath) });
    } else {
      const file = reader.string(entry, itemPath);
      if (file !== undefined) service.envFiles.push({ path: file, required: true, at: reader.at(itemPath) });
    }
  }
}

function readPorts(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  if (!Array.isArray(value)) {
    reader.problem(at, `must be a list of ports, not ${value === null ? 'nothing' : typeof value}`);
    return;
  }
  for (const [i, item] of value.entries()) {
    const itemPath = [...at, i];
    if (isPlainMap(item)) {
      const target = reader.integer(item.target, [...itemPath, 'target'], 1);
      const protocol = item.protocol === undefined ? 'TCP' : parseProtocol(reader.string(item.protocol, [...itemPath, 'protocol']));
      if (!protocol) reader.problem([...itemPath, 'protocol'], 'must be tcp, udp or sctp');
      let published: number | undefined;
      if (item.published !== undefined && item.published !== null && item.published !== '') {
        const text = reader.string(item.published, [...itemPath, 'published']);
        const parsed = text === undefined ? undefined : parsePortSpec(`${text}:${target ?? 1}`);
        if (typeof parsed === 'string') reader.problem([...itemPath, 'published'], parsed);
        else published = parsed?.[0]?.published;
      }
      const hostIp = typeof item.host_ip === 'string' ? item.host_ip : undefined;
      if (target !== undefined && protocol) {
        const mapping: PortMapping = { target, protocol, ...(published !== undefined ? { published } : {}), ...(hostIp ? { hostIp } : {}) };
        service.ports.push(mapping);
      }
      continue;
    }
    const spec = reader.string(item, itemPath);
    if (spec === undefined) continue;
    const parsed = parsePortSpec(spec);
    if (typeof parsed === 'string') reader.problem(itemPath, parsed);
    else service.ports.push(...parsed);
  }
}

function readServiceVolumes(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  if (!Array.isArray(value)) {
    reader.problem(at, 'must be a list of volumes');
    return;
  }
  for (const [i, item] of value.entries()) {
    const itemPath = [...at, i];
    const location = reader.at(itemPath);
    if (isPlainMap(item)) {
      const type = reader.string(item.type ?? 'volume', [...itemPath, 'type']);
      const target = reader.string(item.target, [...itemPath, 'target']);
      const source = item.source === undefined || item.source === null ? undefined : reader.string(item.source, [...itemPath, 'source']);
      const readOnly = item.read_only === undefined ? false : (reader.boolean(item.read_only, [...itemPath, 'read_only']) ?? false);
      if (target === undefined) continue;
      for (const option of Object.keys(item).filter((k) => !['type', 'source', 'target', 'read_only'].includes(k))) {
        reader.warn([...itemPath, option], `${option} is not translated: a pod's volume mount has no such setting`, service.name);
      }
      if (type === 'bind') {
        if (source === undefined) reader.problem([...itemPath, 'source'], 'a bind mount needs a source path');
        else service.volumes.push({ type: 'bind', source, target, readOnly, at: location });
      } else if (type === 'volume') {
        service.volumes.push(source ? { type: 'volume', source, target, readOnly, at: location } : { type: 'anonymous', target, readOnly, at: location });
      } else if (type === 'tmpfs') {
        service.volumes.push({ type: 'tmpfs', target, readOnly, at: location });
      } else if (type !== undefined) {
        reader.warn([...itemPath, 'type'], `volume type "${type}" is not translated; only volume, bind and tmpfs are`, service.name);
      }
      continue;
    }
    const spec = reader.string(item, itemPath);
    if (spec === undefined) continue;
    const parsed = parseVolumeSpec(spec);
    if (typeof parsed === 'string') {
      reader.problem(itemPath, parsed);
      continue;
    }
    if (parsed.ignoredOptions.length > 0) {
      reader.warn(itemPath, `mount option${parsed.ignoredOptions.length > 1 ? 's' : ''} ${parsed.ignoredOptions.join(', ')} of "${spec}" not translated: SELinux labels, consistency and nocopy are not pod settings`, service.name);
    }
    const volume: ServiceVolume =
      parsed.source === undefined
        ? { type: 'anonymous', target: parsed.target, readOnly: parsed.readOnly, at: location }
        : { type: isHostPath(parsed.source) ? 'bind' : 'volume', source: parsed.source, target: parsed.target, readOnly: parsed.readOnly, at: location };
    service.volumes.push(volume);
  }
}

function readHealthcheck(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  const fields = reader.map(value, at);
  if (!fields) return;
  const check: Healthcheck = { disable: false };
  for (const [key, v] of Object.entries(fields)) {
    const p = [...at, key];
    if (key === 'test') {
      if (typeof v === 'string') check.test = ['CMD-SHELL', v];
      else {
        const list = reader.stringList(v, p);
        if (list[0] === 'NONE') check.disable = true;
        else if (list[0] === 'CMD' || list[0] === 'CMD-SHELL') check.test = list;
        else if (list.length > 0) reader.problem(p, 'a list test must start with "CMD", "CMD-SHELL" or "NONE"');
      }
    } else if (key === 'disable') {
      check.disable = reader.boolean(v, p) ?? false;
    } else if (key === 'retries') {
      const retries = reader.integer(v, p, 1);
      if (retries !== undefined) check.retries = retries;
    } else if (key === 'interval' || key === 'timeout' || key === 'start_period' || key === 'start_interval') {
      const seconds = typeof v === 'string' || typeof v === 'number' ? parseDurationSeconds(v) : undefined;
      if (seconds === undefined) {
        reader.problem(p, `must be a duration like 30s or 1m30s, not ${JSON.stringify(v)}`);
      } else if (key === 'start_interval') {
        reader.warn(p, 'start_interval is not translated: Kubernetes probes have one period', service.name);
      } else {
        const field = ({ interval: 'intervalSeconds', timeout: 'timeoutSeconds', start_period: 'startPeriodSeconds' } as const)[key];
        check[field] = Math.max(1, Math.ceil(seconds));
      }
    } else {
      reader.warn(p, `healthcheck.${key} is not a healthcheck key`, service.name);
    }
  }
  service.healthcheck = check;
}

function readDeploy(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  const deploy = reader.map(value, at);
  if (!deploy) return;
  for (const [key, v] of Object.entries(deploy)) {
    const p = [...at, key];
    if (key === 'replicas') {
      const replicas = reader.integer(v, p);
      if (replicas !== undefined) service.replicas = replicas;
    } else if (key === 'resources') {
      const resources = reader.map(v, p);
      for (const [kind, amounts] of Object.entries(resources ?? {})) {
        if (kind !== 'limits' && kind !== 'reservations') {
          reader.warn([...p, kind], `deploy.resources.${kind} is not translated`, service.name);
          continue;
        }
        const target = kind === 'limits' ? service.limits : service.reservations;
        for (const [amount, raw] of Object.entries(reader.map(amounts, [...p, kind]) ?? {})) {
          const q = [...p, kind, amount];
          if (amount === 'memory') {
            const bytes = readBytes(raw, q, reader);
            if (bytes !== undefined) target.memoryBytes = bytes;
          } else if (amount === 'cpus') {
            const cpus = readCpus(raw, q, reader);
            if (cpus !== undefined) target.cpus = cpus;
          } else {
            reader.warn(q, `deploy.resources.${kind}.${amount} is not translated (only cpus and memory are)`, service.name);
          }
        }
      }
    } else if (key === 'labels') {
      // kompose.* ones steer the conversion (kompose.ephemeral-storage.*); the others label the workload, as in kompose.
      for (const [label, text, labelAt] of reader.keyValues(v, p)) {
        service.deployLabels.set(label, text ?? '');
        service.deployLabelAt.set(label, labelAt);
      }
    } else if (key === 'mode') {
      const mode = reader.string(v, p);
      if (mode !== undefined) service.deployMode = mode;
    } else if (key === 'placement') {
      readPlacement(service, v, p, reader);
    } else if (key === 'restart_policy') {
      readRestartPolicy(service, v, p, reader);
    } else {
      reader.warn(p, `deploy.${key} is not translated: it configures Docker Swarm, not a single-cluster Deployment`, service.name);
    }
  }
}

/** deploy.placement: constraints and spread preferences as written; conversion reads them. */
function readPlacement(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  for (const [key, v] of Object.entries(reader.map(value, at) ?? {})) {
    const p = [...at, key];
    if (key === 'constraints') {
      for (const [i, expression] of reader.stringList(v, p).entries()) service.placement.constraints.push({ expression, at: reader.at([...p, i]) });
    } else if (key === 'preferences') {
      for (const [i, item] of (Array.isArray(v) ? v : []).entries()) {
        const spread = isPlainMap(item) ? reader.string(item.spread, [...p, i, 'spread']) : reader.problem([...p, i], 'must be a mapping like {spread: node.labels.zone}');
        if (spread !== undefined) service.placement.preferences.push({ spread, at: reader.at([...p, i]) });
      }
      if (!Array.isArray(v)) reader.problem(p, 'must be a list of {spread: …}');
    } else {
      reader.warn(p, `deploy.placement.${key} is not translated: ${key === 'max_replicas_per_node' ? 'use a topologySpreadConstraint by hand' : 'not a placement key'}`, service.name);
    }
  }
}

/** deploy.restart_policy: condition (none, on-failure, any) and max_attempts; the delays are Swarm's. */
function readRestartPolicy(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  const policy: NonNullable<ServiceModel['restartPolicy']> = { at: reader.source.locateKey(at) };
  for (const [key, v] of Object.entries(reader.map(value, at) ?? {})) {
    const p = [...at, key];
    if (key === 'condition') {
      const condition = reader.string(v, p);
      if (condition !== undefined && !['none', 'on-failure', 'any'].includes(condition)) reader.problem(p, `must be none, on-failure or any, not "${condition}"`);
      else if (condition !== undefined) policy.condition = condition;
    } else if (key === 'max_attempts') {
      const attempts = reader.integer(v, p);
      if (attempts !== undefined) policy.maxAttempts = attempts;
    } else {
      reader.warn(p, `deploy.restart_policy.${key} is not translated: Kubernetes restarts with its own back-off`, service.name);
    }
  }
  service.restartPolicy = policy;
}

function readBytes(value: unknown, at: KeyPath, reader: FieldReader): number | undefined {
  const bytes = typeof value === 'string' || typeof value === 'number' ? parseBytes(value) : undefined;
  return bytes ?? reader.problem(at, `must be a size like 512m or 2g, not ${JSON.stringify(value)}`);
}

function readCpus(value: unknown, at: KeyPath, reader: FieldReader): number | undefined {
  const cpus = typeof value === 'string' || typeof value === 'number' ? parseCpus(value) : undefined;
  return cpus ?? reader.problem(at, `must be a positive number of CPUs like 0.5, not ${JSON.stringify(value)}`);
}

function extraHosts(value: unknown, at: KeyPath, reader: FieldReader): Array<[string, string]> {
  if (isPlainMap(value)) return reader.keyValues(value, at).flatMap(([host, ip]) => (ip ? [[host, ip] as [string, string]] : []));
  return reader.stringList(value, at).flatMap((entry, i): Array<[string, string]> => {
    const match = /^([^:=]+)[:=](.+)$/.exec(entry);
    if (!match?.[1] || !match[2]) {
      reader.problem([...at, i], `"${entry}" is not HOST:IP`);
      return [];
    }
    return [[match[1], match[2].replace(/^\[(.*)\]$/, '$1')]];
  });
}

function readExtends(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  if (typeof value === 'string') {
    service.extends = { service: value, at: reader.at(at) };
    return;
  }
  const fields = reader.map(value, at);
  if (!fields) return;
  const base = reader.string(fields.service, [...at, 'service']);
  const file = fields.file === undefined ? undefined : reader.string(fields.file, [...at, 'file']);
  if (base !== undefined) service.extends = { service: base, ...(file ? { file } : {}), at: reader.at(at) };
}

/**
 * A service's `networks:`, a list of names or a mapping of name to settings: the
 * names (NetworkPolicies can separate them) and aliases (more DNS names); fixed
 * addresses and the rest are reported.
 */
function readNetworks(service: ServiceModel, value: unknown, at: KeyPath, reader: FieldReader): void {
  if (Array.isArray(value)) {
    for (const [i, network] of reader.stringList(value, at).entries()) service.networks.push({ name: network, at: reader.at([...at, i]) });
    return;
  }
  for (const [network, settings] of Object.entries(reader.map(value, at) ?? {})) {
    service.networks.push({ name: network, at: reader.source.locateKey([...at, network]) });
    if (settings === null) continue;
    for (const [key, v] of Object.entries(reader.map(settings, [...at, network]) ?? {})) {
      if (key === 'aliases') service.networkAliases.push(...reader.stringList(v, [...at, network, 'aliases']));
      else if (!key.startsWith('x-')) {
        reader.warn([...at, network, key], `networks.${network}.${key} is not translated: pods get their addresses and interfaces from the cluster network`, service.name);
      }
    }
  }
}

/** Top-level `networks:`: names kept for NetworkPolicies; drivers and address plans have no counterpart. */
function normalizeNetworks(value: unknown, reader: FieldReader): Map<string, NetworkModel> {
  const networks = new Map<string, NetworkModel>();
  if (value === undefined || value === null) return networks;
  for (const [name, raw] of Object.entries(reader.map(value, ['networks']) ?? {})) {
    const at: KeyPath = ['networks', name];
    const network: NetworkModel = { name, at: reader.source.locateKey(at), external: false, untranslated: [] };
    networks.set(name, network);
    for (const [key, v] of Object.entries(raw === null ? {} : (reader.map(raw, at) ?? {}))) {
      const p = [...at, key];
      if (key === 'external') {
        network.external = isPlainMap(v) || (reader.boolean(v, p) ?? false);
        const named = isPlainMap(v) && v.name !== undefined ? reader.string(v.name, [...p, 'name']) : undefined;
        if (named !== undefined) network.externalName = named;
      } else if (key === 'name') {
        const named = reader.string(v, p);
        if (named !== undefined) network.externalName = named;
      } else if (key === 'driver' && (v === 'bridge' || v === 'overlay' || v === null)) {
        // the default drivers: one flat network, which the cluster network is
      } else if (!key.startsWith('x-')) {
        network.untranslated.push({ key, reason: 'network drivers, address plans and options have no NetworkPolicy counterpart', at: reader.source.locateKey(p) });
      }
    }
  }
  return networks;
}

/** Top-level `include:`: a path, or path (one or several), project_directory and env_file. */
function readInclude(value: unknown, reader: FieldReader): IncludeRef[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    reader.problem(['include'], 'must be a list of files or of {path, project_directory, env_file}');
    return [];
  }
  const here = nodePath.dirname(reader.source.file);
  const absolute = (p: string) => nodePath.resolve(here, p);
  return value.flatMap((item, i): IncludeRef[] => {
    const at: KeyPath = ['include', i];
    if (!isPlainMap(item)) {
      const file = reader.string(item, at);
      return file === undefined ? [] : [{ files: [absolute(file)], envFiles: [], at: reader.at(at) }];
    }
    const files = reader.stringList(item.path, [...at, 'path'], { allowSingle: true }).map(absolute);
    const projectDirectory = item.project_directory === undefined ? undefined : reader.string(item.project_directory, [...at, 'project_directory']);
    const envFiles = item.env_file === undefined ? [] : reader.stringList(item.env_file, [...at, 'env_file'], { allowSingle: true }).map(absolute);
    for (const key of Object.keys(item).filter((k) => !['path', 'project_directory', 'env_file'].includes(k) && !k.startsWith('x-'))) {
      reader.warn([...at, key], `include.${key} is not an include key (path, project_directory, env_file)`);
    }
    if (files.length === 0) return [];
    return [{ files, envFiles, at: reader.at(at), ...(projectDirectory !== undefined ? { projectDirectory: absolute(projectDirectory) } : {}) }];
  });
}
