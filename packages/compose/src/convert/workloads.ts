import { type KubeObject, LABEL_NAME } from '@qed/manifests/kube-object';
import type { ServiceModel } from '../model/compose-model.js';
import type { ControllerKind, KomposeSettings } from './kompose-labels.js';
import { ANNOTATION_SERVICE } from './kube-name.js';

type Fields = Record<string, unknown>;

/** What one compose service brings to a pod: its container and what the pod around it needs. */
export interface PodUnit {
  service: ServiceModel;
  /** The service's Kubernetes name (its container's name too). */
  name: string;
  settings: KomposeSettings;
  container: Fields;
  initContainers: Fields[];
  volumes: Map<string, Fields>;
  /** Pod-level fields: hostname, hostAliases, dnsConfig, terminationGracePeriodSeconds, securityContext, imagePullSecrets, serviceAccountName. */
  pod: Fields;
  annotations: Record<string, string>;
  usesClaim: boolean;
  replicas: number;
  controller: ControllerKind;
  /** Labels for the pod (the networks it is on, for their NetworkPolicies). */
  podLabels: Record<string, string>;
  /** deploy.labels: labels of the workload object, as kompose puts them. */
  workloadLabels: Record<string, string>;
  /** restart `no` / `on-failure` (or deploy.restart_policy none / on-failure): the service runs to completion. */
  runOnce?: RunOnceRestart;
}

/** How a run-once service's pod restarts, and where the user said so. */
export interface RunOnceRestart {
  restartPolicy: 'Never' | 'OnFailure';
  /** on-failure:N or deploy.restart_policy.max_attempts; `no` means no retry. */
  backoffLimit?: number;
  /** The key that said so: restart or deploy. */
  key: 'restart' | 'deploy';
  written: string;
}

/** What becomes of services that run once: a Job, a bare Pod (kompose's way), or the --controller workload. */
export const RUN_ONCE_KINDS = ['job', 'pod', 'controller'] as const;
export type RunOnceKind = (typeof RUN_ONCE_KINDS)[number];

export interface WorkloadOptions {
  runOnce: RunOnceKind;
  /** --controller, to warn when deploy.mode global overrides it. */
  controller: ControllerKind;
}

export interface WorkloadReport {
  /** A warning about the service's key or label (`labels.kompose.x` keys point at the label). */
  warn(unit: PodUnit, key: string, message: string): void;
  problem(unit: PodUnit, key: string, message: string): void;
}

/**
 * The workload of one pod shape: a Deployment, StatefulSet, DaemonSet or ReplicationController (the
 * --controller option, kompose.controller.type, or deploy.mode global), a CronJob
 * when kompose.cronjob.schedule is set, a Job (or bare Pod) for services that run
 * once; with kompose.hpa.* labels, its HorizontalPodAutoscaler. Several units share
 * one pod when kompose.service.group, --service-group-mode volume or network_mode
 * service:X puts them together.
 */
export function workloadsOf(name: string, units: readonly PodUnit[], labels: Record<string, string>, report: WorkloadReport, options: WorkloadOptions): KubeObject[] {
  const [lead] = units;
  if (!lead) return [];
  const podSpec = mergePods(units, report);
  const annotations = Object.assign({}, ...units.map((u) => u.annotations)) as Record<string, string>;
  annotations[ANNOTATION_SERVICE] = units.map((u) => u.service.name).join(',');
  const podLabels = { ...labels, ...Object.assign({}, ...units.map((u) => u.podLabels)) } as Record<string, string>;
  const template = { metadata: { labels: podLabels, annotations: { [ANNOTATION_SERVICE]: annotations[ANNOTATION_SERVICE] } }, spec: podSpec };
  const selector = { matchLabels: { [LABEL_NAME]: name } };
  // deploy.labels label the workload; ours, which Services and tools select by, win.
  const metadata = { name, labels: { ...Object.assign({}, ...units.map((u) => u.workloadLabels)), ...labels } as Record<string, string>, annotations };

  const cronUnit = units.find((u) => u.settings.cronJob);
  const cronJob = cronUnit?.settings.cronJob;
  const labelled = units.find((u) => u.settings.controller);
  const global = units.find((u) => u.service.deployMode === 'global');
  const controllerUnit = labelled ?? global ?? lead;
  const controller: ControllerKind = labelled ? controllerUnit.controller : global ? 'daemonset' : lead.controller;
  if (global && !labelled && options.controller !== 'deployment' && options.controller !== 'daemonset') {
    report.warn(global, 'deploy', `deploy.mode global makes a DaemonSet (one pod on every node); --controller ${options.controller} is not used for it`);
  }
  if (global && labelled && labelled.settings.controller !== 'daemonset') {
    report.warn(global, 'deploy', `deploy.mode global (one pod on every node) is not used: kompose.controller.type says ${labelled.settings.controller}`);
  }
  for (const unit of units) {
    if (unit !== controllerUnit && unit.settings.controller && unit.settings.controller !== controller) {
      report.warn(unit, labelKey('kompose.controller.type'), `${unit.settings.controller} differs from ${controller} of ${controllerUnit.service.name}, which shares the pod: ${controller} is used`);
    }
  }
  if (cronUnit && cronJob) {
    if (cronUnit.settings.controller) report.warn(cronUnit, labelKey('kompose.controller.type'), 'not used: kompose.cronjob.schedule makes a CronJob');
    warnUnscalable(units, 'CronJob', report);
    const restart = cronUnit.service.restart;
    if (restart === 'always' || restart === 'unless-stopped') {
      report.warn(cronUnit, 'restart', `restart: ${restart} does not fit a CronJob, whose pods run to completion: they restart only on failure`);
    }
    return [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata,
        spec: {
          schedule: cronJob.schedule,
          ...(cronJob.concurrencyPolicy ? { concurrencyPolicy: cronJob.concurrencyPolicy } : {}),
          jobTemplate: {
            spec: {
              ...(cronJob.backoffLimit !== undefined ? { backoffLimit: cronJob.backoffLimit } : {}),
              template: { ...template, spec: { ...podSpec, restartPolicy: cronUnit.runOnce?.restartPolicy ?? 'OnFailure' } },
            },
          },
        },
      },
    ];
  }

  // A pod runs once when every container in it does; the controller's pods always restart.
  const runOnce = !labelled && !global && options.runOnce !== 'controller' && units.every((u) => u.runOnce) ? units.map((u) => u.runOnce as RunOnceRestart) : undefined;
  if (runOnce) return [runOnceWorkload(metadata, template, podSpec, units, runOnce, options.runOnce, report)];
  for (const unit of units) restartWarning(unit, controller, report);
  if (controller === 'daemonset') {
    warnUnscalable(units, 'DaemonSet', report);
    return [{ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata, spec: { selector, template } }];
  }

  const hpaUnit = units.find((u) => u.settings.hpa);
  const replicas = Math.max(...units.map((u) => u.replicas));
  // The autoscaler owns replicas: a count in the manifest would be reset on every apply.
  const replicasField = hpaUnit ? {} : { replicas };
  if (hpaUnit) {
    for (const unit of units) {
      if (unit.service.replicas !== undefined) report.warn(unit, 'deploy', `deploy.replicas ${unit.service.replicas} is left out: the HorizontalPodAutoscaler sets the replicas`);
    }
  }
  const kind = controller === 'statefulset' ? 'StatefulSet' : controller === 'replicationcontroller' ? 'ReplicationController' : 'Deployment';
  const workload: KubeObject =
    kind === 'ReplicationController'
      ? // The core/v1 kind selects with a plain map of labels, not matchLabels.
        { apiVersion: 'v1', kind, metadata, spec: { ...replicasField, selector: selector.matchLabels, template } }
      : kind === 'StatefulSet'
      ? { apiVersion: 'apps/v1', kind, metadata, spec: { ...replicasField, serviceName: name, selector, template } }
      : {
          apiVersion: 'apps/v1',
          kind,
          metadata,
          spec: {
            ...replicasField,
            selector,
            // A claim that is ReadWriteOnce cannot be held by the old and the new pod at once.
            ...(units.some((u) => u.usesClaim) ? { strategy: { type: 'Recreate' } } : {}),
            template,
          },
        };
  return hpaUnit ? [workload, autoscalerOf(name, kind, labels, hpaUnit, units, report)] : [workload];
}

/**
 * A pod that runs to completion: a batch/v1 Job (replicas run side by side, each
 * once; `no` is never retried, on-failure:N retried N times), or with --run-once pod
 * a bare Pod, as kompose makes it.
 */
function runOnceWorkload(
  metadata: KubeObject['metadata'],
  template: { metadata: Fields; spec: Fields },
  podSpec: Fields,
  units: readonly PodUnit[],
  restarts: readonly RunOnceRestart[],
  kind: RunOnceKind,
  report: WorkloadReport,
): KubeObject {
  // OnFailure when any container asks to be restarted on failure; Never only when none does.
  const restartPolicy = restarts.some((r) => r.restartPolicy === 'OnFailure') ? 'OnFailure' : 'Never';
  const limits = restarts.map((r) => r.backoffLimit ?? (r.restartPolicy === 'Never' ? 0 : undefined));
  const backoffLimit = limits.every((l) => l !== undefined) ? Math.max(...(limits as number[])) : undefined;
  for (const unit of units) if (unit.settings.hpa) report.warn(unit, labelKey('kompose.hpa.replicas.max'), `a ${kind === 'pod' ? 'Pod' : 'Job'} cannot be scaled, so no HorizontalPodAutoscaler is made`);
  const replicas = Math.max(...units.map((u) => u.replicas));
  if (kind === 'pod') {
    for (const unit of units) {
      if (unit.service.replicas !== undefined && unit.service.replicas !== 1) report.warn(unit, 'deploy', `deploy.replicas ${unit.service.replicas} does not apply to a bare Pod: one runs`);
      if (unit.runOnce?.backoffLimit !== undefined) report.warn(unit, unit.runOnce.key, `${unit.runOnce.written}: a bare Pod is restarted without a limit on failure (a Job counts retries)`);
    }
    return { apiVersion: 'v1', kind: 'Pod', metadata: { ...metadata, labels: template.metadata.labels as Record<string, string> }, spec: { ...podSpec, restartPolicy } };
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      ...(replicas !== 1 ? { completions: replicas, parallelism: replicas } : {}),
      ...(backoffLimit !== undefined ? { backoffLimit } : {}),
      template: { ...template, spec: { ...podSpec, restartPolicy } },
    },
  };
}

/** services.x.labels.<label>: the key a label warning names. */
export function labelKey(label: string): string {
  return `labels.${label}`;
}

function mergePods(units: readonly PodUnit[], report: WorkloadReport): Fields {
  const volumes = new Map<string, Fields>();
  const initContainers: Fields[] = [];
  const pod: Fields = {};
  const podFrom = new Map<string, PodUnit>();
  for (const unit of units) {
    for (const [volumeName, volume] of unit.volumes) {
      const existing = volumes.get(volumeName);
      if (!existing) volumes.set(volumeName, volume);
      else if (JSON.stringify(existing) !== JSON.stringify(volume)) {
        const claim = volume.persistentVolumeClaim as Fields | undefined;
        // A claim one service mounts read-only and another read-write: read-only is then up to each mount.
        if (claim && existing.persistentVolumeClaim) volumes.set(volumeName, { name: volumeName, persistentVolumeClaim: { claimName: claim.claimName } });
        else report.problem(unit, 'volumes', `volume ${volumeName} means something else in ${units[0]?.service.name}, which shares the pod: rename the volume`);
      }
    }
    const taken = new Set(initContainers.map((c) => c.name));
    for (const init of unit.initContainers) initContainers.push(taken.has(init.name) ? { ...init, name: `${unit.name}-${String(init.name)}`.slice(0, 63) } : init);
    for (const [field, value] of Object.entries(unit.pod)) {
      const existing = pod[field];
      if (existing === undefined) {
        pod[field] = value;
        podFrom.set(field, unit);
      } else if (field === 'hostAliases' || field === 'imagePullSecrets') {
        pod[field] = [...(existing as unknown[]), ...(value as unknown[]).filter((v) => !(existing as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v)))];
      } else if (field === 'terminationGracePeriodSeconds') {
        pod[field] = Math.max(existing as number, value as number);
      } else if (JSON.stringify(existing) !== JSON.stringify(value)) {
        report.warn(unit, 'labels', `${field} differs from that of ${podFrom.get(field)?.service.name}, which shares the pod: theirs is used`);
      }
    }
  }
  return {
    ...(initContainers.length > 0 ? { initContainers } : {}),
    containers: units.map((u) => u.container),
    ...(volumes.size > 0 ? { volumes: [...volumes.values()] } : {}),
    ...pod,
  };
}

function autoscalerOf(name: string, kind: string, labels: Record<string, string>, unit: PodUnit, units: readonly PodUnit[], report: WorkloadReport): KubeObject {
  const hpa = unit.settings.hpa;
  if (!hpa) throw new Error('autoscalerOf needs kompose.hpa settings');
  const requested = (resource: string) => units.every((u) => ((u.container.resources as Fields | undefined)?.requests as Fields | undefined)?.[resource] !== undefined);
  const metric = (resource: string, target: Fields) => ({ type: 'Resource', resource: { name: resource, target } });
  const metrics = [metric('cpu', { type: 'Utilization', averageUtilization: hpa.cpu })];
  if ('utilization' in hpa.memory) metrics.push(metric('memory', { type: 'Utilization', averageUtilization: hpa.memory.utilization }));
  else metrics.push(metric('memory', { type: 'AverageValue', averageValue: hpa.memory.averageValue }));
  const missing = [requested('cpu') ? '' : 'cpu', requested('memory') || !('utilization' in hpa.memory) ? '' : 'memory'].filter(Boolean);
  if (missing.length > 0) {
    report.warn(
      unit,
      labelKey('kompose.hpa.cpu'),
      `the HorizontalPodAutoscaler measures ${missing.join(' and ')} utilization against the container's requests, which are not set: set deploy.resources.reservations (${missing.map((m) => (m === 'cpu' ? 'cpus' : m)).join(', ')}) or it cannot scale`,
    );
  }
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels },
    spec: { scaleTargetRef: { apiVersion: kind === 'ReplicationController' ? 'v1' : 'apps/v1', kind, name }, minReplicas: hpa.minReplicas, maxReplicas: hpa.maxReplicas, metrics },
  };
}

function warnUnscalable(units: readonly PodUnit[], kind: string, report: WorkloadReport): void {
  for (const unit of units) {
    if (unit.settings.hpa) report.warn(unit, labelKey('kompose.hpa.replicas.max'), `a ${kind} cannot be scaled, so no HorizontalPodAutoscaler is made`);
    if (unit.service.replicas !== undefined && unit.service.replicas !== 1) {
      report.warn(unit, 'deploy', `deploy.replicas ${unit.service.replicas} does not apply to a ${kind}${kind === 'DaemonSet' ? ', which runs one pod on every node' : ''}`);
    }
  }
}

/** Why a run-once service ends up in a workload whose pods restart. */
function runOnceReason(unit: PodUnit): string {
  if (unit.settings.controller) return 'kompose.controller.type asks for it';
  if (unit.service.deployMode === 'global') return 'deploy.mode global asks for a DaemonSet';
  return 'it shares its pod with a service that keeps running, or --run-once controller asks for it; a Job runs once';
}

function restartWarning(unit: PodUnit, controller: ControllerKind, report: WorkloadReport): void {
  if (!unit.runOnce) return;
  const kind = { deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet', replicationcontroller: 'ReplicationController' }[controller];
  report.warn(unit, unit.runOnce.key, `${unit.runOnce.written} is not translated: a ${kind}'s pods always restart (${runOnceReason(unit)})`);
}
