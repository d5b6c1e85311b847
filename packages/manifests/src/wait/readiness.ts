import type { KubeObject } from '../kube-object.js';

/** Kinds we wait for; everything else is ready once applied. */
export const WAITED_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'PersistentVolumeClaim'] as const;

export interface Readiness {
  ready: boolean;
  /** "2/2 available", "Bound", "0/1 ready" … */
  summary: string;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface Live extends KubeObject {
  spec?: Record<string, unknown> & { replicas?: number };
  status?: Record<string, unknown> & { conditions?: Condition[]; observedGeneration?: number };
}

/**
 * Whether a live object has reached the state its kind promises, read as
 * `kubectl rollout status` reads it: the controller has seen the latest
 * generation and enough updated replicas are available.
 */
export function readinessOf(object: KubeObject): Readiness {
  const live = object as Live;
  const status = live.status ?? {};
  const generation = Number(live.metadata.generation ?? 0);
  const observed = Number(status.observedGeneration ?? 0);
  const seen = observed >= generation;
  const num = (key: string) => Number(status[key] ?? 0);
  switch (object.kind) {
    case 'Deployment': {
      const want = live.spec?.replicas ?? 1;
      const available = live.status?.conditions?.find((c) => c.type === 'Available')?.status === 'True';
      // As `kubectl rollout status`: every replica is of the latest template (the old
      // ones are gone, not only outnumbered) and available. Mid-rollout the old pod is
      // still available while the new one starts: that is not ready yet.
      const updated = num('updatedReplicas');
      const ok = seen && available && updated >= want && num('replicas') <= updated && num('availableReplicas') >= Math.max(want, updated);
      return { ready: ok, summary: `${num('availableReplicas')}/${want} available` };
    }
    case 'StatefulSet': {
      const want = live.spec?.replicas ?? 1;
      const current = status.updateRevision === undefined || status.currentRevision === status.updateRevision;
      const ok = seen && num('readyReplicas') >= want && current;
      return { ready: ok, summary: `${num('readyReplicas')}/${want} ready` };
    }
    case 'ReplicationController': {
      // convert --controller replicationcontroller (as kompose can): every replica ready.
      const want = live.spec?.replicas ?? 1;
      const ok = seen && num('readyReplicas') >= want && num('replicas') <= want;
      return { ready: ok, summary: `${num('readyReplicas')}/${want} ready` };
    }
    case 'DaemonSet': {
      const want = num('desiredNumberScheduled');
      const ok = seen && num('numberReady') >= want && num('updatedNumberScheduled') >= want;
      return { ready: ok, summary: `${num('numberReady')}/${want} ready` };
    }
    case 'Job': {
      const complete = live.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false;
      return { ready: complete, summary: complete ? 'complete' : `${num('succeeded')} succeeded` };
    }
    case 'PersistentVolumeClaim': {
      const phase = String(status.phase ?? 'Pending');
      return { ready: phase === 'Bound', summary: phase };
    }
    default:
      return { ready: true, summary: 'applied' };
  }
}
