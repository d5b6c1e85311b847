import { joinNodePath, toNodePath } from '@qed/core';
import type { ObjectMigration } from './object-migration.js';
import { type FieldPath, isFields, valueAt } from '../records.js';

/** Where each kind keeps its pod spec; only there can hostPath volumes appear. */
const POD_SPEC_AT: Record<string, FieldPath> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * The original setup script rewrote relative hostPath paths (`data/pv-mongodb`,
 * `qed_django`) into absolute ones for each OS before applying; a node resolves a
 * relative hostPath against nothing useful. Here they are resolved against the data
 * root as the minikube node sees it (`nodeRoot`, already converted with toNodePath).
 */
export function resolveHostPaths(migration: ObjectMigration, nodeRoot: string): void {
  const { object } = migration;
  if (object.kind === 'PersistentVolume') {
    resolveOne(migration, nodeRoot, ['spec', 'hostPath']);
    return;
  }
  const podSpec = POD_SPEC_AT[object.kind];
  if (!podSpec) return;
  const volumes = valueAt(object, [...podSpec, 'volumes']);
  if (!Array.isArray(volumes)) return;
  volumes.forEach((_, i) => {
    resolveOne(migration, nodeRoot, [...podSpec, 'volumes', i, 'hostPath']);
  });
}

function resolveOne(migration: ObjectMigration, nodeRoot: string, hostPathAt: FieldPath): void {
  const hostPath = valueAt(migration.object, hostPathAt);
  if (!isFields(hostPath) || typeof hostPath.path !== 'string' || hostPath.path === '') return;
  const at = [...hostPathAt, 'path'];
  const original = hostPath.path;
  if (original.startsWith('/')) return;
  if (original.startsWith('~')) {
    migration.warn(
      at,
      `hostPath ${original}: the node does not expand ~; write it relative to the data root or as an absolute path (left unchanged)`,
    );
    return;
  }
  // A Windows path can never name a folder on the Linux node; the node sees the
  // user's drive where minikube mounts it, which is what toNodePath computes.
  const resolved = /^[A-Za-z]:([\\/]|$)/.test(original)
    ? toNodePath(original, 'windows')
    : joinNodePath(nodeRoot, original);
  hostPath.path = resolved;
  migration.change(at, `hostPath ${original} -> ${resolved}`);
  if (
    !/^[A-Za-z]:/.test(original) &&
    resolved !== nodeRoot &&
    !resolved.startsWith(`${nodeRoot.replace(/\/$/, '')}/`)
  ) {
    migration.warn(at, `hostPath ${original} resolves to ${resolved}, outside the data root ${nodeRoot}`);
  }
}
