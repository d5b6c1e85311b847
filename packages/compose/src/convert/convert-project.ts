import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { joinNodePath, looksLikeSecretName, type OperatingSystem, QedError, toNodePath } from '@qed/core';
import { type KubeObject, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, MANAGED_BY, persistentVolumeName } from '@qed/manifests/kube-object';
import type { ComposeProject, ServiceModel, ServiceVolume, VolumeModel } from '../model/compose-model.js';
import { bytesToQuantity, cpusToQuantity } from '../model/compose-units.js';
import { type ComposeProblem, type ComposeWarning, composeInvalid, type Location } from '../source/compose-problem.js';
import { ANNOTATION_ALIAS_OF, ANNOTATION_DEPENDS_ON, ANNOTATION_SERVICE, isValidAnnotationKey, kubeName } from './kube-name.js';

export const VOLUME_MODES = ['persistentVolumeClaim', 'hostPath', 'emptyDir'] as const;
export type VolumeMode = (typeof VOLUME_MODES)[number];
export const CONTROLLERS = ['deployment', 'statefulset'] as const;
export type Controller = (typeof CONTROLLERS)[number];
export const BIND_FILE_MODES = ['hostPath', 'configmap'] as const;
export type BindFileMode = (typeof BIND_FILE_MODES)[number];

export interface ConvertOptions {
  controller: Controller;
  /** Replicas for services whose file does not say (deploy.replicas wins). */
  replicas?: number;
  volumes: VolumeMode;
  /**
   * The hostPath-backed local profile: the data root on the user's machine. With
   * claims, each gets a PersistentVolume under it; with --volumes hostPath, named
   * volumes become folders under it. Absent: claims are left to a StorageClass.
   */
  dataRoot?: string;
  /** Namespace the claims are applied in (a PersistentVolume's claimRef names it). */
  namespace: string;
  bindFiles: BindFileMode;
  volumeSize: string;
  os: OperatingSystem;
  homeDir: string;
}

export interface ConvertResult {
  objects: KubeObject[];
  warnings: ComposeWarning[];
}

/** The largest ConfigMap the API server stores is 1 MiB; bigger files stay host folders. */
const CONFIGMAP_LIMIT = 1024 * 1024;

/**
 * The project's services as Kubernetes objects: a Deployment (or StatefulSet) per
 * service, a Service for its ports, alias Services for link and network aliases,
 * a Secret for secret-looking environment, claims (and on the local profile their
 * PersistentVolumes) for named volumes, and a warning for everything translated
 * with a caveat or not at all.
 */
export async function convertProject(project: ComposeProject, options: ConvertOptions): Promise<ConvertResult> {
  const warnings: ComposeWarning[] = [...project.warnings];
  const problems: ComposeProblem[] = [];
  const services = new Map(project.services.map((s) => [s.name, s]));
  const names = uniqueKubeNames(project.services, problems);
  if (problems.length > 0) throw composeInvalid(problems);

  const partOf = kubeName(project.name);
  const labelsFor = (name: string) => ({ [LABEL_NAME]: name, [LABEL_PART_OF]: partOf, [LABEL_MANAGED_BY]: MANAGED_BY });
  const warn = (service: ServiceModel, at: Location, key: string, message: string) =>
    warnings.push({ ...at, service: service.name, key: `services.${service.name}.${key}`, message });

  for (const service of project.services) {
    for (const u of service.untranslated) warn(service, u.at, u.key, `${u.key} is not translated: ${u.reason}`);
  }

  const claims = new Map<string, KubeObject>();
  /** Claims named by `external: true` volumes: mounted, never generated. */
  const externalClaims = new Set<string>();
  const volumes = new Map<string, KubeObject>();
  const configMaps: KubeObject[] = [];
  const secrets: KubeObject[] = [];
  const kubeServices: KubeObject[] = [];
  const workloads: KubeObject[] = [];
  const dataRootOnNode = options.dataRoot ? toNodePath(options.dataRoot, options.os) : undefined;
  const servicePorts = new Map<string, KubeObject['spec']>();

  const volumeModel = (name: string): VolumeModel => project.volumes.get(name) ?? { name, at: project.services[0]?.at ?? { file: '', line: 1, column: 1 }, external: false, untranslated: [] };
  for (const volume of project.volumes.values()) {
    for (const u of volume.untranslated) warnings.push({ ...u.at, key: `volumes.${volume.name}.${u.key}`, message: `${u.key} is not translated: ${u.reason}` });
  }

  for (const service of project.services) {
    const name = names.get(service.name) ?? kubeName(service.name);
    const labels = labelsFor(name);
    const annotations: Record<string, string> = { [ANNOTATION_SERVICE]: service.name };

    // Image and build.
    let image = service.image;
    if (service.build) {
      if (image) {
        warn(service, keyAt(service, 'build'), 'build', `build (context ${service.build.context}) is not run by convert: push ${image} where the cluster can pull it (qed-bootstrap images push)`);
      } else {
        image = `${name}:latest`;
        warn(service, keyAt(service, 'build'), 'build', `has only a build (context ${service.build.context}): the image is named ${image}; build and push it where the cluster can pull it, or set image`);
      }
    }
    if (!image) {
      problems.push({ ...service.at, key: `services.${service.name}`, message: 'has neither image nor build: there is nothing to run' });
      continue;
    }

    // Environment: plain values, secret-looking ones through a Secret.
    const env: Array<Record<string, unknown>> = [];
    const secretData: Record<string, string> = {};
    // Named after the service, like its Deployment: the file is qed-django-secret.yml.
    const secretName = name;
    for (const [key, value] of service.environment) {
      if (value === undefined) {
        warn(service, keyAt(service, 'environment'), 'environment', `${key} has no value and is not set in the environment or .env: left out`);
        continue;
      }
      if (looksLikeSecretName(key)) {
        secretData[key] = Buffer.from(value, 'utf8').toString('base64');
        env.push({ name: key, valueFrom: { secretKeyRef: { name: secretName, key } } });
      } else {
        env.push({ name: key, value });
        const renamed = mentionedServiceRename(value, services);
        if (renamed) warn(service, keyAt(service, 'environment'), 'environment', `${key}=${value} names the service ${renamed[0]}, which is reachable as ${renamed[1]} in Kubernetes (underscores are not valid in DNS names)`);
      }
    }
    if (Object.keys(secretData).length > 0) {
      secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, labels, annotations: { ...annotations } }, type: 'Opaque', data: secretData });
    }

    // Ports.
    const containerPorts = new Map<string, { containerPort: number; protocol: string }>();
    const ports = new Map<string, { name: string; port: number; targetPort: number; protocol: string }>();
    for (const p of service.ports) {
      containerPorts.set(`${p.target}/${p.protocol}`, { containerPort: p.target, protocol: p.protocol });
      const port = p.published ?? p.target;
      ports.set(`${port}/${p.protocol}`, { name: `${p.protocol.toLowerCase()}-${port}`, port, targetPort: p.target, protocol: p.protocol });
      if (p.hostIp) warn(service, keyAt(service, 'ports'), 'ports', `host address ${p.hostIp} of port ${port} is not translated: reach the Service with kubectl port-forward`);
    }
    for (const e of service.expose) {
      containerPorts.set(`${e.port}/${e.protocol}`, { containerPort: e.port, protocol: e.protocol });
      if (![...ports.values()].some((p) => p.targetPort === e.port && p.protocol === e.protocol)) {
        ports.set(`${e.port}/${e.protocol}`, { name: `${e.protocol.toLowerCase()}-${e.port}`, port: e.port, targetPort: e.port, protocol: e.protocol });
      }
    }
    if (ports.size > 0) {
      const spec = { selector: { [LABEL_NAME]: name }, ports: [...ports.values()] };
      servicePorts.set(service.name, spec);
      kubeServices.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels, annotations: { ...annotations } }, spec });
    }

    // Volumes, with volumes_from resolved to the other services' mounts.
    const podVolumes = new Map<string, Record<string, unknown>>();
    const mounts: Array<Record<string, unknown>> = [];
    const binds: string[] = [];
    let usesClaim = false;
    const mountsOf = collectMounts(service, services, problems);
    for (const [index, mount] of mountsOf.entries()) {
      const { volume, readOnly, from } = mount;
      let volumeName: string;
      if (volume.type === 'volume') {
        const model = volumeModel(volume.source);
        volumeName = kubeName(volume.source);
        if (model.bindDevice) {
          podVolumes.set(volumeName, { name: volumeName, hostPath: { path: nodePath(model.bindDevice, project, options), type: 'DirectoryOrCreate' } });
        } else if (options.volumes === 'emptyDir') {
          podVolumes.set(volumeName, { name: volumeName, emptyDir: {} });
        } else if (options.volumes === 'hostPath') {
          if (!dataRootOnNode) {
            throw new QedError('USAGE', '--volumes hostPath needs a data root to put the volume folders under', { hint: 'Pass --data-root DIR (the CLI defaults it to dataRoot of qed.config.yaml).' });
          }
          podVolumes.set(volumeName, { name: volumeName, hostPath: { path: joinNodePath(dataRootOnNode, volumeName), type: 'DirectoryOrCreate' } });
        } else {
          usesClaim = true;
          podVolumes.set(volumeName, { name: volumeName, persistentVolumeClaim: { claimName: volumeName, ...(readOnly ? { readOnly: true } : {}) } });
          if (model.external) {
            if (!externalClaims.has(volumeName)) {
              warnings.push({ ...model.at, key: `volumes.${model.name}.external`, message: `external volume: no claim is generated; a PersistentVolumeClaim named ${volumeName} must exist in the namespace` });
            }
            externalClaims.add(volumeName);
          } else if (!claims.has(volumeName)) {
            addClaim(volumeName, claims, volumes, labelsFor(volumeName), options, dataRootOnNode);
          }
        }
      } else if (volume.type === 'bind') {
        const source = resolveHostPath(volume.source, project.projectDir, options.homeDir);
        volumeName = `bind-${index}`;
        const configMap = options.bindFiles === 'configmap' ? await configMapFor(source, `${name}-${kubeName(path.basename(source))}`, labels) : null;
        if (configMap) {
          configMaps.push(configMap);
          podVolumes.set(volumeName, { name: volumeName, configMap: { name: configMap.metadata.name } });
          mounts.push({ name: volumeName, mountPath: volume.target, subPath: path.basename(source), readOnly: true });
          continue;
        }
        podVolumes.set(volumeName, { name: volumeName, hostPath: { path: nodePath(source, project, options) } });
        binds.push(`${volume.source} -> ${volume.target}${from ? ` (from ${from})` : ''}`);
      } else {
        if (from && volume.type === 'anonymous') {
          warn(service, volume.at, 'volumes_from', `the anonymous volume ${volume.target} of ${from} cannot be shared between pods: this pod gets its own empty one`);
        }
        volumeName = `${volume.type === 'tmpfs' ? 'tmp' : 'scratch'}-${index}`;
        podVolumes.set(volumeName, { name: volumeName, emptyDir: volume.type === 'tmpfs' ? { medium: 'Memory' } : {} });
      }
      mounts.push({ name: volumeName, mountPath: volume.target, ...(readOnly ? { readOnly: true } : {}) });
    }
    if (binds.length > 0) {
      warn(
        service,
        keyAt(service, 'volumes'),
        'volumes',
        `bind mounts become hostPath volumes, which read the cluster node's disk, not yours: ${binds.join('; ')}. With minikube your home folder is mounted in the VM; elsewhere copy the files into the image${options.bindFiles === 'hostPath' ? ', or pass --bind-files configmap for single files' : ''}`,
      );
    }

    // Links, depends_on, aliases.
    const dependsOn = [...new Set([...service.dependsOn.map((d) => d.service), ...service.links.map((l) => l.service)])]
      .filter((s) => services.has(s))
      .map((s) => names.get(s) ?? kubeName(s));
    if (dependsOn.length > 0) annotations[ANNOTATION_DEPENDS_ON] = dependsOn.join(',');
    for (const [key, value] of service.labels) {
      if (isValidAnnotationKey(key)) annotations[key] = value;
      else warn(service, keyAt(service, 'labels'), 'labels', `label ${key} is not a valid Kubernetes annotation key: left out`);
    }

    // The container.
    const resources = resourcesOf(service);
    const probe = probeOf(service, (key, message) => warn(service, keyAt(service, key), key, message));
    const securityContext = securityContextOf(service, (key, message) => warn(service, keyAt(service, key), key, message));
    const container: Record<string, unknown> = {
      name,
      image,
      ...(service.entrypoint ? { command: service.entrypoint } : {}),
      ...(service.command ? { args: service.command } : {}),
      ...(service.workingDir ? { workingDir: service.workingDir } : {}),
      ...(env.length > 0 ? { env } : {}),
      ...(containerPorts.size > 0 ? { ports: [...containerPorts.values()] } : {}),
      ...(resources ? { resources } : {}),
      ...(probe ? { readinessProbe: probe } : {}),
      ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
      ...(securityContext ? { securityContext } : {}),
      ...(service.stdinOpen ? { stdin: true } : {}),
      ...(service.tty ? { tty: true } : {}),
      ...(pullPolicyOf(service, (message) => warn(service, keyAt(service, 'pull_policy'), 'pull_policy', message)) ?? {}),
    };

    const podSpec: Record<string, unknown> = {
      containers: [container],
      ...(podVolumes.size > 0 ? { volumes: [...podVolumes.values()] } : {}),
      ...(service.hostname ? { hostname: kubeName(service.hostname) } : {}),
      ...(service.extraHosts.length > 0 ? { hostAliases: hostAliasesOf(service) } : {}),
      ...(service.dns.length + service.dnsSearch.length > 0
        ? { dnsConfig: { ...(service.dns.length ? { nameservers: service.dns } : {}), ...(service.dnsSearch.length ? { searches: service.dnsSearch } : {}) } }
        : {}),
      ...(service.stopGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: service.stopGracePeriodSeconds } : {}),
    };
    if (service.domainname) warn(service, keyAt(service, 'domainname'), 'domainname', 'domainname is not translated: pods get their DNS domain from the cluster');
    restartWarning(service, (message) => warn(service, keyAt(service, 'restart'), 'restart', message));

    const replicas = service.replicas ?? options.replicas ?? 1;
    const template = { metadata: { labels, annotations: { [ANNOTATION_SERVICE]: service.name } }, spec: podSpec };
    workloads.push(
      options.controller === 'statefulset'
        ? { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, labels, annotations }, spec: { replicas, serviceName: name, selector: { matchLabels: { [LABEL_NAME]: name } }, template } }
        : {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name, labels, annotations },
            spec: {
              replicas,
              selector: { matchLabels: { [LABEL_NAME]: name } },
              // A claim that is ReadWriteOnce cannot be held by the old and the new pod at once.
              ...(usesClaim ? { strategy: { type: 'Recreate' } } : {}),
              template,
            },
          },
    );
  }

  // Other names other services use for this one: link aliases, network aliases, container_name.
  const taken = new Set(kubeServices.map((s) => s.metadata.name));
  for (const service of project.services) {
    const aliases: Array<{ alias: string; why: string; at: Location; key: string }> = [
      ...project.services.flatMap((s) => s.links.filter((l) => l.service === service.name && l.alias !== l.service).map((l) => ({ alias: l.alias, why: `link alias in ${s.name}`, at: l.at, key: 'links' }))),
      ...service.networkAliases.map((alias) => ({ alias, why: 'network alias', at: keyAt(service, 'networks'), key: 'networks' })),
      ...(service.containerName ? [{ alias: service.containerName, why: 'container_name', at: keyAt(service, 'container_name'), key: 'container_name' }] : []),
    ];
    const target = names.get(service.name) ?? kubeName(service.name);
    for (const { alias, why, at, key } of aliases) {
      const aliasName = kubeName(alias);
      if (aliasName === target || taken.has(aliasName)) {
        if (aliasName !== target && aliasName !== alias) warn(service, at, key, `${why} ${alias} is reachable as ${aliasName} in Kubernetes`);
        continue;
      }
      const spec = servicePorts.get(service.name);
      if (!spec) {
        warn(service, at, key, `${why} ${alias} gets no Service: ${service.name} has no ports or expose, so nothing could be reached by that name`);
        continue;
      }
      taken.add(aliasName);
      kubeServices.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: aliasName, labels: labelsFor(target), annotations: { [ANNOTATION_SERVICE]: alias, [ANNOTATION_ALIAS_OF]: target } },
        spec,
      });
      if (aliasName !== alias) warn(service, at, key, `${why} ${alias} is reachable as ${aliasName} in Kubernetes (underscores are not valid in DNS names)`);
    }
  }
  if (problems.length > 0) throw composeInvalid(problems);

  return {
    objects: [...volumes.values(), ...claims.values(), ...configMaps, ...secrets, ...kubeServices, ...workloads],
    warnings,
  };
}

/** Where a key of the service is written (the service's own line when it came from elsewhere). */
function keyAt(service: ServiceModel, key: string): Location {
  return service.keyAt.get(key) ?? service.at;
}

/** kube names per compose service; two services that collapse to one name are a problem. */
function uniqueKubeNames(services: readonly ServiceModel[], problems: ComposeProblem[]): Map<string, string> {
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const service of services) {
    const name = kubeName(service.name);
    const other = owners.get(name);
    if (other !== undefined) {
      problems.push({ ...service.at, key: `services.${service.name}`, message: `both "${other}" and "${service.name}" become the Kubernetes name ${name}; rename one` });
    }
    owners.set(name, service.name);
    names.set(service.name, name);
  }
  return names;
}

interface ResolvedMount {
  volume: ServiceVolume;
  readOnly: boolean;
  /** The service it came from through volumes_from. */
  from?: string;
}

/** The service's own mounts, then those of volumes_from services (recursively; own paths win). */
function collectMounts(service: ServiceModel, services: Map<string, ServiceModel>, problems: ComposeProblem[], chain: string[] = []): ResolvedMount[] {
  const byTarget = new Map<string, ResolvedMount>();
  for (const from of service.volumesFrom) {
    const source = services.get(from.service);
    if (!source) continue;
    if (chain.includes(from.service) || from.service === service.name) {
      problems.push({ ...from.at, key: `services.${service.name}.volumes_from`, message: `volumes_from loops: ${[...chain, service.name, from.service].join(' -> ')}` });
      continue;
    }
    for (const mount of collectMounts(source, services, problems, [...chain, service.name])) {
      byTarget.set(mount.volume.target, { volume: mount.volume, readOnly: mount.readOnly || from.readOnly, from: mount.from ?? from.service });
    }
  }
  const own = new Map<string, ServiceVolume>();
  for (const volume of service.volumes) {
    const first = own.get(volume.target);
    if (first) {
      // Docker refuses it too ("duplicate mount point"); keeping either would drop the other in silence.
      problems.push({
        ...volume.at,
        key: `services.${service.name}.volumes`,
        message: `${describeSource(volume)} and ${describeSource(first)} are both mounted at ${volume.target}: a path takes one mount; remove one or give it another target`,
      });
      continue;
    }
    own.set(volume.target, volume);
    byTarget.set(volume.target, { volume, readOnly: volume.readOnly });
  }
  return [...byTarget.values()];
}

function describeSource(volume: ServiceVolume): string {
  if (volume.type === 'volume') return `volume ${volume.source}`;
  if (volume.type === 'bind') return `bind ${volume.source}`;
  return volume.type === 'tmpfs' ? 'a tmpfs' : 'an anonymous volume';
}

function addClaim(
  name: string,
  claims: Map<string, KubeObject>,
  volumes: Map<string, KubeObject>,
  labels: Record<string, string>,
  options: ConvertOptions,
  dataRootOnNode: string | undefined,
): void {
  const pvName = persistentVolumeName(options.namespace, name);
  claims.set(name, {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: options.volumeSize } },
      // On the local profile the claim is bound to its own volume by name, from both sides.
      ...(dataRootOnNode ? { storageClassName: '', volumeName: pvName } : {}),
    },
  });
  if (!dataRootOnNode) return;
  volumes.set(pvName, {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: pvName, labels },
    spec: {
      capacity: { storage: options.volumeSize },
      accessModes: ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: options.namespace, name },
      hostPath: { path: joinNodePath(dataRootOnNode, pvName), type: 'DirectoryOrCreate' },
    },
  });
}

function resolveHostPath(source: string, projectDir: string, homeDir: string): string {
  if (source === '~' || source.startsWith('~/')) return path.join(homeDir, source.slice(1));
  if (/^[A-Za-z]:[\\/]/.test(source)) return source;
  return path.resolve(projectDir, source);
}

/** Where the cluster node sees a host folder (Windows drives become /c/...). */
function nodePath(hostPath: string, project: ComposeProject, options: ConvertOptions): string {
  const absolute = resolveHostPath(hostPath, project.projectDir, options.homeDir);
  return /^[A-Za-z]:[\\/]/.test(absolute) ? toNodePath(absolute, 'windows') : toNodePath(absolute, options.os === 'windows' ? 'linux' : options.os);
}

async function configMapFor(source: string, name: string, labels: Record<string, string>): Promise<KubeObject | null> {
  const facts = await stat(source).catch(() => null);
  if (!facts?.isFile() || facts.size > CONFIGMAP_LIMIT) return null;
  const content = await readFile(source);
  const key = path.basename(source);
  const text = content.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(content);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: kubeName(name), labels },
    ...(isText ? { data: { [key]: text } } : { binaryData: { [key]: content.toString('base64') } }),
  };
}

function resourcesOf(service: ServiceModel): Record<string, unknown> | undefined {
  const amounts = (a: ServiceModel['limits']) => ({
    ...(a.cpus !== undefined ? { cpu: cpusToQuantity(a.cpus) } : {}),
    ...(a.memoryBytes !== undefined ? { memory: bytesToQuantity(a.memoryBytes) } : {}),
  });
  const limits = amounts(service.limits);
  const requests = amounts(service.reservations);
  if (Object.keys(limits).length + Object.keys(requests).length === 0) return undefined;
  return { ...(Object.keys(limits).length ? { limits } : {}), ...(Object.keys(requests).length ? { requests } : {}) };
}

/**
 * healthcheck -> a readiness probe: compose marks an unhealthy container and holds
 * back dependants, it does not restart it; readiness is the Kubernetes equivalent.
 */
function probeOf(service: ServiceModel, warn: (key: string, message: string) => void): Record<string, unknown> | undefined {
  const check = service.healthcheck;
  if (!check || check.disable) return undefined;
  if (!check.test || check.test.length < 2) {
    warn('healthcheck', "healthcheck without a test uses the image's HEALTHCHECK, which Kubernetes ignores: no probe");
    return undefined;
  }
  const [form, ...rest] = check.test;
  const command = form === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : rest;
  return {
    exec: { command },
    ...(check.intervalSeconds !== undefined ? { periodSeconds: check.intervalSeconds } : {}),
    ...(check.timeoutSeconds !== undefined ? { timeoutSeconds: check.timeoutSeconds } : {}),
    ...(check.retries !== undefined ? { failureThreshold: check.retries } : {}),
    ...(check.startPeriodSeconds !== undefined ? { initialDelaySeconds: check.startPeriodSeconds } : {}),
  };
}

function securityContextOf(service: ServiceModel, warn: (key: string, message: string) => void): Record<string, unknown> | undefined {
  const context: Record<string, unknown> = {};
  if (service.user !== undefined) {
    const numeric = /^(\d+)(?::(\d+))?$/.exec(service.user);
    if (numeric?.[1]) {
      context.runAsUser = Number(numeric[1]);
      if (numeric[2]) context.runAsGroup = Number(numeric[2]);
    } else {
      warn('user', `user "${service.user}" is not translated: Kubernetes needs numeric ids (runAsUser); look the id up in the image`);
    }
  }
  if (service.privileged) context.privileged = true;
  if (service.capAdd.length + service.capDrop.length > 0) {
    context.capabilities = {
      ...(service.capAdd.length ? { add: service.capAdd.map((c) => c.replace(/^CAP_/, '')) } : {}),
      ...(service.capDrop.length ? { drop: service.capDrop.map((c) => c.replace(/^CAP_/, '')) } : {}),
    };
  }
  return Object.keys(context).length > 0 ? context : undefined;
}

function pullPolicyOf(service: ServiceModel, warn: (message: string) => void): { imagePullPolicy: string } | undefined {
  const policy = service.pullPolicy;
  if (policy === undefined) return undefined;
  const mapped = ({ always: 'Always', never: 'Never', missing: 'IfNotPresent', if_not_present: 'IfNotPresent', build: 'IfNotPresent' } as Record<string, string>)[policy];
  if (!mapped) warn(`pull_policy "${policy}" is not translated (always, never, missing, build are)`);
  return mapped ? { imagePullPolicy: mapped } : undefined;
}

function hostAliasesOf(service: ServiceModel): Array<{ ip: string; hostnames: string[] }> {
  const byIp = new Map<string, string[]>();
  for (const { host, ip } of service.extraHosts) byIp.set(ip, [...(byIp.get(ip) ?? []), host]);
  return [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
}

function restartWarning(service: ServiceModel, warn: (message: string) => void): void {
  const restart = service.restart;
  if (restart === undefined || restart === 'always' || restart === 'unless-stopped') return;
  if (restart === 'no' || restart.startsWith('on-failure')) {
    warn(`restart: ${restart} is not translated: a Deployment's pods always restart; use a Job for run-once work`);
  } else {
    warn(`restart: "${restart}" is not a compose restart policy (no, always, on-failure, unless-stopped)`);
  }
}

/** [compose name, kube name] of a service an env value points at by its compose name, when the two differ. */
function mentionedServiceRename(value: string, services: Map<string, ServiceModel>): [string, string] | undefined {
  for (const name of services.keys()) {
    const kube = kubeName(name);
    if (kube === name) continue;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`^${escaped}(:\\d+)?$|(://|@)${escaped}([:/]|$)`).test(value)) return [name, kube];
  }
  return undefined;
}
