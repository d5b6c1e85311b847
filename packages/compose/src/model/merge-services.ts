import type { ServiceModel, ServiceVolume } from './compose-model.js';

/**
 * Lays `over` on `base` the way docker compose merges a later -f file (and an
 * `extends` child) onto a service: single values are replaced, environment and
 * labels merge by name, port-like lists are appended without duplicates, volumes
 * merge by container path, and service references are unioned.
 */
export function mergeService(base: ServiceModel, over: ServiceModel): ServiceModel {
  const merged: ServiceModel = {
    ...base,
    ...definedOnly(over),
    name: over.name,
    at: over.at,
    keyAt: new Map([...base.keyAt, ...over.keyAt]),
    environment: new Map([...base.environment, ...over.environment]),
    labels: new Map([...base.labels, ...over.labels]),
    labelAt: new Map([...base.labelAt, ...over.labelAt]),
    deployLabels: new Map([...base.deployLabels, ...over.deployLabels]),
    deployLabelAt: new Map([...base.deployLabelAt, ...over.deployLabelAt]),
    // As docker compose merges them: one entry per file it puts in the container.
    secrets: uniqueBy([...base.secrets, ...over.secrets], (m) => m.target ?? m.source),
    configs: uniqueBy([...base.configs, ...over.configs], (m) => m.target ?? m.source),
    envFiles: [...base.envFiles, ...over.envFiles],
    ports: uniqueBy([...base.ports, ...over.ports], (p) => `${p.hostIp ?? ''}:${p.published ?? ''}:${p.target}/${p.protocol}`),
    expose: uniqueBy([...base.expose, ...over.expose], (p) => `${p.port}/${p.protocol}`),
    volumes: mergeVolumes(base.volumes, over.volumes),
    volumesFrom: uniqueBy([...base.volumesFrom, ...over.volumesFrom], (v) => v.service),
    links: uniqueBy([...base.links, ...over.links], (l) => l.alias),
    dependsOn: uniqueBy([...base.dependsOn, ...over.dependsOn], (d) => d.service),
    networkAliases: [...new Set([...base.networkAliases, ...over.networkAliases])],
    networks: uniqueBy([...base.networks, ...over.networks], (n) => n.name),
    groupAdd: [...new Set([...base.groupAdd, ...over.groupAdd])],
    placement: {
      constraints: uniqueBy([...base.placement.constraints, ...over.placement.constraints], (c) => c.expression.replace(/\s+/g, '')),
      preferences: uniqueBy([...base.placement.preferences, ...over.placement.preferences], (p) => p.spread),
    },
    limits: { ...base.limits, ...over.limits },
    reservations: { ...base.reservations, ...over.reservations },
    profiles: over.profiles.length > 0 ? over.profiles : base.profiles,
    capAdd: [...new Set([...base.capAdd, ...over.capAdd])],
    capDrop: [...new Set([...base.capDrop, ...over.capDrop])],
    extraHosts: uniqueBy([...base.extraHosts, ...over.extraHosts], (h) => `${h.host}=${h.ip}`),
    dns: [...new Set([...base.dns, ...over.dns])],
    dnsSearch: [...new Set([...base.dnsSearch, ...over.dnsSearch])],
    untranslated: [...base.untranslated, ...over.untranslated],
  };
  const healthcheck = base.healthcheck || over.healthcheck ? { disable: false, ...base.healthcheck, ...over.healthcheck } : undefined;
  if (healthcheck) merged.healthcheck = healthcheck;
  if (base.build && over.build) merged.build = { ...base.build, ...over.build, args: { ...base.build.args, ...over.build.args } };
  return merged;
}

/** Fields a later definition replaces whole when it sets them. */
const REPLACED = [
  'image', 'build', 'command', 'entrypoint', 'workingDir', 'user', 'restart', 'hostname', 'domainname', 'containerName',
  'replicas', 'privileged', 'stdinOpen', 'tty', 'stopGracePeriodSeconds', 'pullPolicy', 'extends', 'networkMode', 'readOnly',
  'deployMode', 'restartPolicy',
] as const satisfies ReadonlyArray<keyof ServiceModel>;

function definedOnly(service: ServiceModel): Partial<ServiceModel> {
  return Object.fromEntries(REPLACED.filter((key) => service[key] !== undefined).map((key) => [key, service[key]]));
}

function mergeVolumes(base: ServiceVolume[], over: ServiceVolume[]): ServiceVolume[] {
  const byTarget = new Map(base.map((v) => [v.target, v]));
  for (const volume of over) byTarget.set(volume.target, volume);
  return [...byTarget.values()];
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(key(item), item);
  return [...seen.values()];
}
