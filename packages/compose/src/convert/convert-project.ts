import path from 'node:path';
import { joinNodePath, looksLikeSecretName, type OperatingSystem, QedError, toNodePath } from '@qed/core';
import { type KubeObject, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, MANAGED_BY } from '@qed/manifests/kube-object';
import { type ComposeProject, emptyVolume, type ServiceModel, type ServiceVolume, type VolumeModel } from '../model/compose-model.js';
import { bytesToQuantity, cpusToQuantity } from '../model/compose-units.js';
import { type ComposeProblem, type ComposeWarning, composeInvalid, type Location } from '../source/compose-problem.js';
import { bindConfigMap } from './bind-config-maps.js';
import { type ClaimSettings, Claims } from './claims.js';
import { exposureOf, type ServicePort } from './exposure.js';
import { FileObjects, targetOf } from './file-objects.js';
import { type BuildMode, type ImageBuild, imageBuildOf, underRegistry } from './image-builds.js';
import { type KomposeSettings, type LabelReport, readKomposeLabels, SUPERSEDED_BY_DEPLOYMENT, readVolumeLabels, type VolumeLabelSettings } from './kompose-labels.js';
import { ANNOTATION_ALIAS_OF, ANNOTATION_DEPENDS_ON, ANNOTATION_SERVICE, isValidAnnotationKey, kubeName } from './kube-name.js';
import { networkLabel, networkModeJoins, networkPoliciesOf, networksOf, warnUnseparatedNetworks } from './networks.js';
import { placementOf } from './placement.js';
import { containerSecurityOf, podNetworkOf, podSecurityOf, runOnceOf, subdomainOf, workloadLabelsOf } from './pod-settings.js';
import { probesOf } from './probes.js';
import { type PodUnit, type RunOnceKind, type RunOnceRestart, type WorkloadReport, workloadsOf } from './workloads.js';

export const VOLUME_MODES = ['persistentVolumeClaim', 'hostPath', 'emptyDir', 'configMap'] as const;
export type VolumeMode = (typeof VOLUME_MODES)[number];
/** replicationcontroller: kompose's oldest kind, made on request (warned: Deployments supersede it). */
export const CONTROLLERS = ['deployment', 'statefulset', 'daemonset', 'replicationcontroller'] as const;
export type Controller = (typeof CONTROLLERS)[number];
export const BIND_FILE_MODES = ['hostPath', 'configmap'] as const;
export type BindFileMode = (typeof BIND_FILE_MODES)[number];
/** kompose's --service-group-mode: label (kompose.service.group, always read) or volume (services with the same volumes share a pod). */
export const SERVICE_GROUP_MODES = ['label', 'volume'] as const;
export type ServiceGroupMode = (typeof SERVICE_GROUP_MODES)[number];

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
  /** --generate-network-policies: a NetworkPolicy per compose network, so only pods on a shared one reach each other. */
  networkPolicies?: boolean;
  /** What services that run once (restart no / on-failure) become: a Job (default), a bare Pod, or the --controller workload. */
  runOnce?: RunOnceKind;
  /** --service-group-mode volume: services mounting the same volumes go into one pod (kompose.service.group is then not used). */
  serviceGroupMode?: ServiceGroupMode;
  /** --service-group-name: the workload name of the one volume group (default: its services' names joined by "-"). */
  serviceGroupName?: string;
  os: OperatingSystem;
  homeDir: string;
  /** --build local: services with `build:` are built (by the caller) as their manifests name them; none (default) warns instead. */
  build?: BuildMode;
  /** --push-image: the builds are pushed too. */
  pushImage?: boolean;
  /** --push-image-registry: built images are named (and pushed) under this registry, in the manifests too. */
  pushImageRegistry?: string;
}

export interface ConvertResult {
  objects: KubeObject[];
  warnings: ComposeWarning[];
  /** With build local: the image builds the objects rely on, in service order. */
  builds: ImageBuild[];
}

/**
 * The project's services as Kubernetes objects: a Deployment (or StatefulSet,
 * DaemonSet, CronJob, Job, Pod) per pod — a service alone, or the services a
 * kompose.service.group or network_mode service:X puts together — a Service for its
 * ports (and an Ingress when exposed), alias Services for link and network aliases,
 * Secrets and ConfigMaps for compose secrets and configs, secret-looking environment
 * and bind mounts, claims (and on the local profile their PersistentVolumes) for named
 * volumes, autoscalers, NetworkPolicies for compose networks, and a warning for
 * everything translated with a caveat or not at all. kompose's labels steer it with
 * kompose's meaning.
 */
export async function convertProject(project: ComposeProject, options: ConvertOptions): Promise<ConvertResult> {
  const warnings: ComposeWarning[] = [...project.warnings];
  const problems: ComposeProblem[] = [];
  const builds: ImageBuild[] = [];
  const services = new Map(project.services.map((s) => [s.name, s]));
  const partOf = kubeName(project.name);
  const labelsFor = (name: string) => ({ [LABEL_NAME]: name, [LABEL_PART_OF]: partOf, [LABEL_MANAGED_BY]: MANAGED_BY });
  const warn = (service: ServiceModel, at: Location, key: string, message: string) =>
    warnings.push({ ...at, service: service.name, key: `services.${service.name}.${key}`, message });
  const labelReport = (service?: ServiceModel): LabelReport => ({
    problem: (at, key, message) => problems.push({ ...at, key, message }),
    warn: (at, key, message) => warnings.push({ ...at, ...(service ? { service: service.name } : {}), key, message }),
  });

  for (const service of project.services) {
    for (const u of service.untranslated) warn(service, u.at, u.key, `${u.key} is not translated: ${u.reason}`);
  }
  for (const volume of project.volumes.values()) {
    for (const u of volume.untranslated) warnings.push({ ...u.at, key: `volumes.${volume.name}.${u.key}`, message: `${u.key} is not translated: ${u.reason}` });
  }

  // kompose's labels first: kompose.service.name_override and kompose.service.group decide names.
  const settingsOf = new Map(project.services.map((s) => [s.name, readKomposeLabels(s, labelReport(s))]));
  const volumeLabels = new Map<string, VolumeLabelSettings>([...project.volumes].map(([n, v]) => [n, readVolumeLabels(v, labelReport())]));
  const names = uniqueKubeNames(project.services, settingsOf, problems, (service, message) => labelReport(service).warn(...labelPlace(settingsOf, service, 'kompose.service.name_override'), message));
  const settings = (service: ServiceModel): KomposeSettings => settingsOf.get(service.name) as KomposeSettings;
  // The key of a label's message names the label: services.web.labels.kompose.volume.type.
  const warnLabel = (service: ServiceModel, label: string, message: string) => labelReport(service).warn(...labelPlace(settingsOf, service, label), message);
  const byVolume = options.serviceGroupMode === 'volume';
  if (options.serviceGroupName !== undefined && !byVolume) {
    throw new QedError('USAGE', '--service-group-name names the pod of services grouped by their volumes', { hint: 'Pass --service-group-mode volume with it (kompose.service.group names its own groups).' });
  }
  if (byVolume) {
    for (const service of project.services) {
      if (settings(service).group !== undefined) warnLabel(service, 'kompose.service.group', 'not used: --service-group-mode volume groups services by the volumes they mount');
    }
  }
  const groups = byVolume ? volumeGroups(project.services, names, options.serviceGroupName, problems) : labelGroups(project.services, settingsOf);
  const workloadNames = groupWorkloadNames(groups, project.services, names, problems);
  // network_mode service:X puts the container in X's pod (X's group's, when X is in one).
  for (const [joiner, host] of networkModeJoins(project.services, problems)) {
    const pod = workloadNames.get(host) ?? names.get(host) ?? kubeName(host);
    const service = services.get(joiner);
    if (service && settings(service).group !== undefined && workloadNames.get(joiner) !== pod) {
      warnLabel(service, 'kompose.service.group', `not used: network_mode service:${host} puts ${joiner} in the pod of ${host}`);
    }
    workloadNames.set(joiner, pod);
  }
  const problemLabel = (service: ServiceModel, label: string, message: string) => labelReport(service).problem(...labelPlace(settingsOf, service, label), message);

  if (!options.networkPolicies) warnUnseparatedNetworks(project, warnings);
  const [firstService] = project.services;
  if (options.controller === 'replicationcontroller' && firstService) {
    warnings.push({ ...firstService.at, key: '--controller', message: SUPERSEDED_BY_DEPLOYMENT });
  }

  const dataRootOnNode = options.dataRoot ? toNodePath(options.dataRoot, options.os) : undefined;
  const claims = new Claims(options.namespace, dataRootOnNode);
  /** Claims named by `external: true` volumes: mounted, never generated. */
  const externalClaims = new Set<string>();
  const configMaps: KubeObject[] = [];
  const secrets: KubeObject[] = [];
  const kubeServices: KubeObject[] = [];
  const ingresses: KubeObject[] = [];
  const units: PodUnit[] = [];
  /** Each service's ports as a plain ClusterIP spec, for the alias Services that reach it by other names. */
  const servicePorts = new Map<string, KubeObject['spec']>();
  // The Secrets of secret-looking environment are named after their services; a compose secret steps aside.
  const envSecretNames = new Set(project.services.filter((s) => [...s.environment].some(([k, v]) => v !== undefined && looksLikeSecretName(k))).map((s) => names.get(s.name) ?? kubeName(s.name)));
  const fileObjects = new FileObjects({ project, labelsFor, problems, warnings, takenSecretNames: envSecretNames });

  const volumeModel = (name: string): VolumeModel => project.volumes.get(name) ?? emptyVolume(name, project.services[0]?.at ?? { file: '', line: 1, column: 1 });

  for (const service of project.services) {
    const kompose = settings(service);
    const name = names.get(service.name) ?? kubeName(service.name);
    const workloadName = workloadNames.get(service.name) ?? name;
    const grouped = workloadName !== name || project.services.some((s) => s !== service && workloadNames.get(s.name) === workloadName);
    // In a pod shared by several services, each one's own volumes carry its name.
    const own = (volumeName: string) => (grouped ? kubeName(`${name}-${volumeName}`) : volumeName);
    const labels = labelsFor(name);
    const annotations: Record<string, string> = { [ANNOTATION_SERVICE]: service.name };

    // Image and build.
    let image = service.image;
    if (service.build && options.build === 'local') {
      // Built as the manifests name it (kompose names a build-only image after the service).
      image = image ?? `${name}:latest`;
      if (options.pushImageRegistry) image = underRegistry(image, options.pushImageRegistry);
      const build = imageBuildOf(service, image, options.pushImage === true);
      if (build) builds.push(build);
      if (!options.pushImage) {
        warn(service, keyAt(service, 'build'), 'build', `${image} is built into this machine's engine only: pass --push-image to push it where the cluster can pull it`);
      }
    } else if (service.build) {
      if (image) {
        warn(service, keyAt(service, 'build'), 'build', `build (context ${service.build.context}) is not run by convert: push ${image} where the cluster can pull it (--build local --push-image, or qed-bootstrap images push)`);
      } else {
        image = `${name}:latest`;
        warn(service, keyAt(service, 'build'), 'build', `has only a build (context ${service.build.context}): the image is named ${image}; build and push it where the cluster can pull it (--build local --push-image), or set image`);
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

    // Ports; kompose.controller.port.expose binds them on the node too.
    const containerPorts = new Map<string, Record<string, unknown>>();
    const ports = new Map<string, ServicePort>();
    for (const p of service.ports) {
      const port = p.published ?? p.target;
      const hostPort = kompose.hostPorts ? { hostPort: port, ...(p.hostIp ? { hostIP: p.hostIp } : {}) } : {};
      containerPorts.set(`${p.target}/${p.protocol}`, { containerPort: p.target, protocol: p.protocol, ...hostPort });
      ports.set(`${port}/${p.protocol}`, { name: `${p.protocol.toLowerCase()}-${port}`, port, targetPort: p.target, protocol: p.protocol });
      if (p.hostIp && !kompose.hostPorts) warn(service, keyAt(service, 'ports'), 'ports', `host address ${p.hostIp} of port ${port} is not translated: reach the Service with kubectl port-forward`);
    }
    for (const e of service.expose) {
      containerPorts.set(`${e.port}/${e.protocol}`, { containerPort: e.port, protocol: e.protocol });
      if (![...ports.values()].some((p) => p.targetPort === e.port && p.protocol === e.protocol)) {
        ports.set(`${e.port}/${e.protocol}`, { name: `${e.protocol.toLowerCase()}-${e.port}`, port: e.port, targetPort: e.port, protocol: e.protocol });
      }
    }
    const exposure = exposureOf({
      name,
      selectorName: workloadName,
      selectorLabel: LABEL_NAME,
      metadata: { name, labels, annotations: { ...annotations } },
      ports: [...ports.values()],
      settings: kompose,
      warn: (label, message) => warnLabel(service, label, message),
    });
    if (exposure.service) kubeServices.push(exposure.service);
    if (exposure.ingress) ingresses.push(exposure.ingress);
    if (ports.size > 0) servicePorts.set(service.name, { selector: { [LABEL_NAME]: workloadName }, ports: [...ports.values()] });

    // Volumes, with volumes_from resolved to the other services' mounts; kompose.volume.* labels shape them.
    const podVolumes = new Map<string, Record<string, unknown>>();
    const mounts: Array<Record<string, unknown>> = [];
    const binds: string[] = [];
    let usesClaim = false;
    // kompose.volume.type wins over --volumes; configMap turns binds into ConfigMaps and leaves named volumes claims.
    const labelType = kompose.volumeType;
    const volumeType = labelType ?? options.volumes;
    const bindsAsConfigMaps = volumeType === 'configMap' ? 'files and folders' : options.bindFiles === 'configmap' ? 'files' : undefined;
    const volumeMode = volumeType === 'configMap' ? (options.volumes === 'configMap' ? 'persistentVolumeClaim' : options.volumes) : volumeType;
    const subPath = kompose.volumeSubPath ? { subPath: kompose.volumeSubPath } : {};
    const mountsOf = collectMounts(service, services, problems);
    if (labelType === 'hostPath' && !dataRootOnNode && mountsOf.some((m) => m.volume.type === 'volume' && !volumeModel(m.volume.source).bindDevice)) {
      problemLabel(service, 'kompose.volume.type', 'hostPath puts named volumes in folders under the data root, and none is given: pass --data-root DIR');
    }
    if (volumeType === 'configMap' && mountsOf.some((m) => m.volume.type === 'volume')) {
      const message = `configMap applies to bind mounts; named volumes stay ${volumeMode}`;
      if (labelType) warnLabel(service, 'kompose.volume.type', message);
      else warn(service, keyAt(service, 'volumes'), 'volumes', `--volumes ${message}`);
    }
    for (const [index, mount] of mountsOf.entries()) {
      const { volume, readOnly, from } = mount;
      let volumeName: string;
      if (volume.type === 'volume') {
        const model = volumeModel(volume.source);
        volumeName = kubeName(volume.source);
        if (model.bindDevice) {
          podVolumes.set(volumeName, { name: volumeName, hostPath: { path: nodePath(model.bindDevice, project, options), type: 'DirectoryOrCreate' } });
        } else if (volumeMode === 'emptyDir') {
          podVolumes.set(volumeName, { name: volumeName, emptyDir: {} });
        } else if (volumeMode === 'hostPath') {
          if (!dataRootOnNode) {
            if (labelType === 'hostPath') continue;
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
          } else {
            const fromVolume = volumeLabels.get(volume.source) ?? {};
            const claim: ClaimSettings = {
              size: fromVolume.size ?? kompose.volumeSize ?? options.volumeSize,
              ...(fromVolume.storageClassName ?? kompose.storageClassName ? { storageClassName: fromVolume.storageClassName ?? kompose.storageClassName } : {}),
              ...(fromVolume.selector ? { selector: fromVolume.selector } : {}),
            };
            const differs = claims.add(volumeName, claim, labelsFor(volumeName), service.name);
            if (differs) warn(service, volume.at, 'volumes', differs);
          }
        }
      } else if (volume.type === 'bind') {
        const source = resolveHostPath(volume.source, project.projectDir, options.homeDir);
        volumeName = own(`bind-${index}`);
        const made = bindsAsConfigMaps ? await bindConfigMap(source, `${name}-${path.basename(source)}`, labels, { folders: bindsAsConfigMaps === 'files and folders' }) : undefined;
        if (made?.kind === 'file' || made?.kind === 'folder') {
          configMaps.push(made.object);
          const configMap = { name: made.object.metadata.name, ...(made.kind === 'folder' && made.items ? { items: made.items } : {}) };
          podVolumes.set(volumeName, { name: volumeName, configMap });
          mounts.push({ name: volumeName, mountPath: volume.target, ...(made.kind === 'file' ? { subPath: made.key } : {}), readOnly: true });
          if (!readOnly) warn(service, volume.at, 'volumes', `${volume.source} -> ${volume.target} becomes ConfigMap ${made.object.metadata.name}, which pods read but cannot write: mount it :ro in compose too, or keep it a hostPath`);
          continue;
        }
        if (made?.kind === 'skipped' && bindsAsConfigMaps === 'files and folders') warn(service, volume.at, 'volumes', `${volume.source} stays a hostPath, not a ConfigMap: ${made.reason}`);
        podVolumes.set(volumeName, { name: volumeName, hostPath: { path: nodePath(source, project, options) } });
        binds.push(`${volume.source} -> ${volume.target}${from ? ` (from ${from})` : ''}`);
      } else {
        if (from && volume.type === 'anonymous') {
          warn(service, volume.at, 'volumes_from', `the anonymous volume ${volume.target} of ${from} cannot be shared between pods: this pod gets its own empty one`);
        }
        volumeName = own(`${volume.type === 'tmpfs' ? 'tmp' : 'scratch'}-${index}`);
        podVolumes.set(volumeName, { name: volumeName, emptyDir: volume.type === 'tmpfs' ? { medium: 'Memory' } : {} });
      }
      mounts.push({ name: volumeName, mountPath: volume.target, ...(readOnly ? { readOnly: true } : {}), ...(volume.type === 'tmpfs' ? {} : subPath) });
    }
    if (binds.length > 0) {
      warn(
        service,
        keyAt(service, 'volumes'),
        'volumes',
        `bind mounts become hostPath volumes, which read the cluster node's disk, not yours: ${binds.join('; ')}. With minikube your home folder is mounted in the VM; elsewhere copy the files into the image${bindsAsConfigMaps ? '' : ', or pass --volumes configMap to copy them into ConfigMaps'}`,
      );
    }

    // Compose secrets and configs: one file each, where compose puts it.
    const files = await fileObjects.mountsOf(service, new Set(podVolumes.keys()), grouped ? `${name}-` : '');
    const mounted = new Set(mounts.map((m) => m.mountPath));
    for (const [i, fileMount] of files.mounts.entries()) {
      const volume = files.volumes[i];
      if (!volume) continue;
      if (mounted.has(fileMount.mountPath)) {
        const kind = 'secret' in volume ? 'secrets' : 'configs';
        problems.push({ ...keyAt(service, kind), key: `services.${service.name}.${kind}`, message: `${String(fileMount.mountPath)} is mounted twice (a volume or another ${kind.slice(0, -1)} is there already): give one another target` });
        continue;
      }
      mounted.add(fileMount.mountPath);
      podVolumes.set(String(volume.name), volume);
      mounts.push(fileMount);
    }
    let fsGroup = kompose.fsGroup;
    for (const { mount, kind } of files.owners) {
      const gid = mount.gid !== undefined && /^\d+$/.test(mount.gid) ? Number(mount.gid) : undefined;
      if (gid !== undefined && fsGroup === undefined) fsGroup = gid;
      const parts = [
        mount.uid !== undefined ? `uid ${mount.uid}: Kubernetes cannot set the owner of a mounted file, it stays root` : '',
        mount.gid !== undefined && gid === undefined ? `gid ${mount.gid} is not a number: not translated` : '',
        gid !== undefined ? (fsGroup === gid ? `gid ${gid} becomes the pod's fsGroup, the group of every volume in the pod` : `gid ${gid} is not used: the pod's fsGroup is ${fsGroup} already`) : '',
      ].filter(Boolean);
      warn(service, mount.at, `${kind}s`, `${kind} ${mount.source} at ${targetOf(kind, mount)}: ${parts.join('; ')}`);
    }

    // Links, depends_on, aliases.
    const dependsOn = [...new Set([...service.dependsOn.map((d) => d.service), ...service.links.map((l) => l.service)])]
      .filter((s) => services.has(s))
      .map((s) => names.get(s) ?? kubeName(s));
    if (dependsOn.length > 0) annotations[ANNOTATION_DEPENDS_ON] = dependsOn.join(',');
    for (const [key, value] of service.labels) {
      // kompose.* labels steer the conversion (read above); they are never annotations.
      if (key.startsWith('kompose.')) continue;
      if (isValidAnnotationKey(key)) annotations[key] = value;
      else warn(service, keyAt(service, 'labels'), 'labels', `label ${key} is not a valid Kubernetes annotation key: left out`);
    }

    // The container.
    const resources = resourcesOf(service, kompose);
    const probes = probesOf(service, kompose, (key, message) => warn(service, keyAt(service, key), key, message));
    const warnKey = (key: string, message: string, at?: Location) => warn(service, at ?? keyAt(service, key.split('.')[0] ?? key), key, message);
    const securityContext = containerSecurityOf(service, warnKey);
    const container: Record<string, unknown> = {
      name,
      image,
      ...(service.entrypoint ? { command: service.entrypoint } : {}),
      ...(service.command ? { args: service.command } : {}),
      ...(service.workingDir ? { workingDir: service.workingDir } : {}),
      ...(env.length > 0 ? { env } : {}),
      ...(containerPorts.size > 0 ? { ports: [...containerPorts.values()] } : {}),
      ...(resources ? { resources } : {}),
      ...probes,
      ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
      ...(securityContext ? { securityContext } : {}),
      ...(service.stdinOpen ? { stdin: true } : {}),
      ...(service.tty ? { tty: true } : {}),
      ...(pullPolicyOf(service, kompose, (message) => warn(service, keyAt(service, 'pull_policy'), 'pull_policy', message)) ?? {}),
    };

    if (kompose.serviceAccountName) warnLabel(service, 'kompose.serviceaccount-name', `a ServiceAccount named ${kompose.serviceAccountName} must exist in the namespace; none is generated`);
    if (kompose.imagePullSecret) warnLabel(service, 'kompose.image-pull-secret', `a docker-registry Secret named ${kompose.imagePullSecret} must exist in the namespace (kubectl create secret docker-registry); none is generated`);
    const pod: Record<string, unknown> = {
      ...(service.hostname ? { hostname: kubeName(service.hostname) } : {}),
      ...(service.extraHosts.length > 0 ? { hostAliases: hostAliasesOf(service) } : {}),
      ...(service.dns.length + service.dnsSearch.length > 0
        ? { dnsConfig: { ...(service.dns.length ? { nameservers: service.dns } : {}), ...(service.dnsSearch.length ? { searches: service.dnsSearch } : {}) } }
        : {}),
      ...(service.stopGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: service.stopGracePeriodSeconds } : {}),
      ...podOptional('securityContext', podSecurityOf(service, fsGroup, warnKey)),
      ...(kompose.imagePullSecret ? { imagePullSecrets: [{ name: kompose.imagePullSecret }] } : {}),
      ...(kompose.serviceAccountName ? { serviceAccountName: kompose.serviceAccountName } : {}),
      ...podNetworkOf(service, warnKey),
      ...subdomainOf(service, warnKey),
      ...placementOf(service, workloadName, (at, message) => warn(service, at, 'deploy.placement', message)),
    };
    const podLabels = options.networkPolicies ? Object.fromEntries(networksOf(service).map((n) => [networkLabel(n), 'true'])) : {};
    const runOnce = jobModeOf(service, runOnceOf(service, warnKey), warnKey);
    const init = kompose.initContainer;
    units.push({
      service,
      name,
      settings: kompose,
      container,
      initContainers: init ? [{ name: init.name, image: init.image, ...(init.command ? { command: init.command } : {}) }] : [],
      volumes: podVolumes,
      pod,
      annotations,
      usesClaim,
      // A global job runs once here (warned above); --replicas is for replicated services.
      replicas: service.deployMode === 'global-job' ? 1 : (service.replicas ?? options.replicas ?? 1),
      controller: kompose.controller ?? options.controller,
      podLabels,
      workloadLabels: workloadLabelsOf(service, warnKey),
      ...(runOnce ? { runOnce } : {}),
    });
  }

  // One workload per pod: a service alone, or the services of a kompose.service.group together.
  const workloads: KubeObject[] = [];
  const autoscalers: KubeObject[] = [];
  const workloadReport: WorkloadReport = {
    warn: (unit, key, message) =>
      key.startsWith('labels.kompose.')
        ? labelReport(unit.service).warn(...labelPlace(settingsOf, unit.service, key.slice('labels.'.length)), message)
        : warn(unit.service, keyAt(unit.service, key), key, message),
    problem: (unit, key, message) => problems.push({ ...keyAt(unit.service, key), key: `services.${unit.service.name}.${key}`, message }),
  };
  const pods = new Map<string, PodUnit[]>();
  for (const unit of units) {
    const workloadName = workloadNames.get(unit.service.name) ?? unit.name;
    pods.set(workloadName, [...(pods.get(workloadName) ?? []), unit]);
  }
  for (const [workloadName, members] of pods) {
    for (const object of workloadsOf(workloadName, members, labelsFor(workloadName), workloadReport, { runOnce: options.runOnce ?? 'job', controller: options.controller })) {
      (object.kind === 'HorizontalPodAutoscaler' ? autoscalers : workloads).push(object);
    }
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
  fileObjects.reportUnused(project.services);
  const policies = options.networkPolicies
    ? networkPoliciesOf(
        project,
        [...pods].map(([podName, members]) => ({
          name: podName,
          networks: new Set(members.flatMap((u) => networksOf(u.service))),
          publishedPorts: uniquePorts(members.flatMap((u) => u.service.ports.filter((p) => p.published !== undefined).map((p) => ({ port: p.target, protocol: p.protocol })))),
        })),
        labelsFor,
        warnings,
      )
    : [];

  const objects = [
    ...claims.volumes.values(),
    ...claims.claims.values(),
    ...configMaps,
    ...fileObjects.objects.filter((o) => o.kind === 'ConfigMap'),
    ...secrets,
    ...fileObjects.objects.filter((o) => o.kind === 'Secret'),
    ...kubeServices,
    ...ingresses,
    ...workloads,
    ...autoscalers,
    ...policies,
  ];
  reportNameClashes(objects, project, problems);
  if (problems.length > 0) throw composeInvalid(problems);
  return { objects, warnings, builds };
}

/**
 * deploy.mode replicated-job / global-job (compose's swarm jobs; kompose makes Deployments of
 * them): they run to completion, so a Job, its pods restarted on failure unless restart says
 * otherwise. A job on every node has no Kubernetes form: it runs once, warned.
 */
function jobModeOf(service: ServiceModel, runOnce: RunOnceRestart | undefined, warnKey: (key: string, message: string) => void): RunOnceRestart | undefined {
  const mode = service.deployMode;
  if (mode === undefined || mode === 'replicated' || mode === 'global') return runOnce;
  if (mode !== 'replicated-job' && mode !== 'global-job') {
    warnKey('deploy', `deploy.mode ${mode} is not a compose mode (replicated, global, replicated-job, global-job): ${runOnce ? 'it runs once, as its restart says' : 'a Deployment keeps it running'}`);
    return runOnce;
  }
  if (mode === 'global-job') {
    warnKey('deploy', 'deploy.mode global-job (one run on every node) has no Kubernetes form: a Job runs it once, in one pod; for a run on each node, make it a DaemonSet (deploy.mode global) that runs the task and then sleeps');
  }
  return runOnce ?? { restartPolicy: 'OnFailure', key: 'deploy', written: `deploy.mode ${mode}` };
}

function uniquePorts(ports: Array<{ port: number; protocol: string }>): Array<{ port: number; protocol: string }> {
  return [...new Map(ports.map((p) => [`${p.port}/${p.protocol}`, p])).values()];
}

/** { field: value } when there is a value, else nothing to spread. */
function podOptional(field: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [field]: value };
}

/** Where a key of the service is written (the service's own line when it came from elsewhere). */
function keyAt(service: ServiceModel, key: string): Location {
  return service.keyAt.get(key) ?? service.at;
}

/** [location, key] of a service's kompose label, for a message about it. */
function labelPlace(settingsOf: Map<string, KomposeSettings>, service: ServiceModel, label: string): [Location, string] {
  const settings = settingsOf.get(service.name);
  return [settings?.at(label) ?? service.at, settings?.key(label) ?? `services.${service.name}.labels.${label}`];
}

/**
 * kube names per compose service (kompose.service.name_override when given); two
 * services that collapse to one name are a problem.
 */
function uniqueKubeNames(
  services: readonly ServiceModel[],
  settingsOf: Map<string, KomposeSettings>,
  problems: ComposeProblem[],
  warnOverride: (service: ServiceModel, message: string) => void,
): Map<string, string> {
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const service of services) {
    const override = settingsOf.get(service.name)?.nameOverride;
    const name = kubeName(override ?? service.name);
    if (override !== undefined && name !== override) warnOverride(service, `${override} is not a valid Kubernetes name: the objects are named ${name}`);
    const other = owners.get(name);
    if (other !== undefined) {
      problems.push({ ...service.at, key: `services.${service.name}`, message: `both "${other}" and "${service.name}" become the Kubernetes name ${name}; rename one` });
    }
    owners.set(name, service.name);
    names.set(service.name, name);
  }
  return names;
}

/** A pod several services share: its workload name, its members, and where the grouping was asked for (for a clash). */
interface ServiceGroup {
  name: string;
  members: ServiceModel[];
  at: Location;
  key: string;
}

/** The groups kompose.service.group labels make. */
function labelGroups(services: readonly ServiceModel[], settingsOf: Map<string, KomposeSettings>): ServiceGroup[] {
  const groups = new Map<string, ServiceGroup>();
  for (const service of services) {
    const settings = settingsOf.get(service.name);
    if (!settings?.group) continue;
    const group = groups.get(settings.group) ?? { name: kubeName(settings.group), members: [], at: settings.at('kompose.service.group'), key: settings.key('kompose.service.group') };
    group.members.push(service);
    groups.set(settings.group, group);
  }
  return [...groups.values()];
}

/**
 * --service-group-mode volume, as kompose groups: services that mount exactly the same
 * volumes (source, target and mode; services without volumes stay alone) share a pod,
 * named after its services in name order, or --service-group-name when there is one group.
 */
function volumeGroups(services: readonly ServiceModel[], names: Map<string, string>, groupName: string | undefined, problems: ComposeProblem[]): ServiceGroup[] {
  const byMounts = new Map<string, ServiceModel[]>();
  for (const service of [...services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (service.volumes.length === 0) continue;
    const id = service.volumes
      .map((v) => `${v.type}:${'source' in v ? v.source : ''}:${v.target}:${v.readOnly ? 'ro' : 'rw'}`)
      .sort()
      .join('\n');
    byMounts.set(id, [...(byMounts.get(id) ?? []), service]);
  }
  const shared = [...byMounts.values()].filter((members) => members.length > 1);
  if (groupName !== undefined && shared.length > 1) {
    const [, second] = shared;
    problems.push({
      ...(second?.[0]?.at ?? { file: '', line: 1, column: 1 }),
      key: `services.${second?.[0]?.name ?? ''}`,
      message: `--service-group-name names one pod, but ${shared.length} sets of services share volumes (${shared.map((m) => m.map((s) => s.name).join(' + ')).join('; ')}): leave it out, and each pod is named after its services`,
    });
  }
  return shared.map((members) => {
    const [first] = members as [ServiceModel, ...ServiceModel[]];
    return {
      name: kubeName(groupName ?? members.map((s) => names.get(s.name) ?? kubeName(s.name)).join('-')),
      members,
      at: first.keyAt.get('volumes') ?? first.at,
      key: `services.${first.name}.volumes`,
    };
  });
}

/** The workload name of each grouped service: its group's, which must not be the name of a service outside the group. */
function groupWorkloadNames(groups: readonly ServiceGroup[], services: readonly ServiceModel[], names: Map<string, string>, problems: ComposeProblem[]): Map<string, string> {
  const workloadNames = new Map<string, string>();
  for (const group of groups) {
    const clash = services.find((s) => names.get(s.name) === group.name && !group.members.includes(s));
    if (clash) {
      problems.push({ ...group.at, key: group.key, message: `the group's workload would be named ${group.name}, the name of ${clash.name}, which is not in the group: rename the group` });
      continue;
    }
    for (const member of group.members) workloadNames.set(member.name, group.name);
  }
  return workloadNames;
}

/** Two objects of one kind and name would overwrite each other when applied: a problem, never a silent loss. */
function reportNameClashes(objects: readonly KubeObject[], project: ComposeProject, problems: ComposeProblem[]): void {
  const seen = new Set<string>();
  for (const object of objects) {
    const id = `${object.kind}/${object.metadata.name}`;
    if (!seen.has(id)) {
      seen.add(id);
      continue;
    }
    const owner = project.services.find((s) => object.metadata.annotations?.[ANNOTATION_SERVICE] === s.name);
    problems.push({
      ...(owner?.at ?? project.services[0]?.at ?? { file: project.projectDir, line: 1, column: 1 }),
      key: owner ? `services.${owner.name}` : '',
      message: `two ${object.kind}s would be named ${object.metadata.name} (a secret, config, volume or service of that name exists already): rename one`,
    });
  }
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

function resourcesOf(service: ServiceModel, kompose: KomposeSettings): Record<string, unknown> | undefined {
  const amounts = (a: ServiceModel['limits'], ephemeral: string | undefined) => ({
    ...(a.cpus !== undefined ? { cpu: cpusToQuantity(a.cpus) } : {}),
    ...(a.memoryBytes !== undefined ? { memory: bytesToQuantity(a.memoryBytes) } : {}),
    ...(ephemeral !== undefined ? { 'ephemeral-storage': ephemeral } : {}),
  });
  const limits = amounts(service.limits, kompose.ephemeralStorage.limit);
  const requests = amounts(service.reservations, kompose.ephemeralStorage.request);
  if (Object.keys(limits).length + Object.keys(requests).length === 0) return undefined;
  return { ...(Object.keys(limits).length ? { limits } : {}), ...(Object.keys(requests).length ? { requests } : {}) };
}

/** kompose.image-pull-policy, else compose's pull_policy. */
function pullPolicyOf(service: ServiceModel, kompose: KomposeSettings, warn: (message: string) => void): { imagePullPolicy: string } | undefined {
  const policy = service.pullPolicy;
  const mapped =
    policy === undefined ? undefined : ({ always: 'Always', never: 'Never', missing: 'IfNotPresent', if_not_present: 'IfNotPresent', build: 'IfNotPresent' } as Record<string, string>)[policy];
  if (policy !== undefined && !mapped) warn(`pull_policy "${policy}" is not translated (always, never, missing, build are)`);
  if (kompose.imagePullPolicy) {
    if (mapped && mapped !== kompose.imagePullPolicy) warn(`pull_policy ${policy} is not used: the label kompose.image-pull-policy says ${kompose.imagePullPolicy}`);
    return { imagePullPolicy: kompose.imagePullPolicy };
  }
  return mapped ? { imagePullPolicy: mapped } : undefined;
}

function hostAliasesOf(service: ServiceModel): Array<{ ip: string; hostnames: string[] }> {
  const byIp = new Map<string, string[]>();
  for (const { host, ip } of service.extraHosts) byIp.set(ip, [...(byIp.get(ip) ?? []), host]);
  return [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
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
