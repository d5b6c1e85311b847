import { type Discovery, type KubeApi, resourcePath } from '@qed/kube';
import { describeObject, type KubeObject } from '../kube-object.js';

export type DiagnosisReason =
  | 'ImagePull'
  | 'CrashLoop'
  | 'Unschedulable'
  | 'PvcUnbound'
  | 'ReadinessProbe'
  | 'NoPods'
  | 'Progressing';

/** Why an object did not become ready, and what to do about it. */
export interface Diagnosis {
  object: string;
  reason: DiagnosisReason;
  /** What the cluster says: the pod's waiting reason, the condition or the event message. */
  message: string;
  hint: string;
}

interface Pod extends KubeObject {
  spec: { containers: Array<{ name: string; image: string }> };
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
    containerStatuses?: Array<{
      name: string;
      image?: string;
      ready?: boolean;
      restartCount?: number;
      state?: { waiting?: { reason?: string; message?: string }; running?: unknown; terminated?: { reason?: string; exitCode?: number } };
    }>;
  };
}
interface Event {
  type?: string;
  reason?: string;
  message?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count?: number;
}

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/**
 * Reads the object's pods, conditions and events to say why it is not ready.
 * The checks go from the most specific cause to the least, as a person reading
 * `kubectl describe` would.
 */
export async function diagnose(api: KubeApi, discovery: Discovery, object: KubeObject): Promise<Diagnosis> {
  const name = describeObject(object);
  const namespace = object.metadata.namespace ?? 'default';
  const events = await eventsFor(api, namespace, object.kind, object.metadata.name);

  if (object.kind === 'PersistentVolumeClaim') {
    const warning = latest(events.filter((e) => e.type === 'Warning')) ?? latest(events);
    const phase = String((object as { status?: { phase?: string } }).status?.phase ?? 'Pending');
    return {
      object: name,
      reason: 'PvcUnbound',
      message: `${phase}${warning?.message ? `: ${warning.reason ? `${warning.reason}: ` : ''}${warning.message}` : ''}`,
      hint: `Give the claim a volume: with the local profile each claim gets a PersistentVolume (re-render with --profile local); otherwise set a storageClassName the cluster has (\`kubectl get storageclass\`). Details: \`kubectl describe pvc -n ${namespace} ${object.metadata.name}\`.`,
    };
  }

  const pods = await podsOf(api, discovery, object);
  if (pods.length === 0) {
    const warning = latest(events.filter((e) => e.type === 'Warning'));
    return {
      object: name,
      reason: 'NoPods',
      message: warning?.message ? `no pods: ${warning.reason}: ${warning.message}` : 'no pods were created',
      hint: `Read the controller's events: \`kubectl describe ${object.kind.toLowerCase()} -n ${namespace} ${object.metadata.name}\`.`,
    };
  }
  for (const pod of pods) {
    for (const status of pod.status?.containerStatuses ?? []) {
      const waiting = status.state?.waiting;
      if (waiting?.reason && IMAGE_PULL.has(waiting.reason)) {
        const image = pod.spec.containers.find((c) => c.name === status.name)?.image ?? status.image ?? '';
        return {
          object: name,
          reason: 'ImagePull',
          message: `${waiting.reason} for image ${image} (pod ${pod.metadata.name})${waiting.message ? `: ${waiting.message}` : ''}`,
          hint: `Check the image name and tag. An image built locally must be pushed to the registry the cluster pulls from (render with --registry HOST:PORT); a private image needs an imagePullSecret. See \`kubectl describe pod -n ${namespace} ${pod.metadata.name}\`.`,
        };
      }
      if (waiting?.reason === 'CrashLoopBackOff' || (status.restartCount ?? 0) > 2) {
        return {
          object: name,
          reason: 'CrashLoop',
          message: `container ${status.name} keeps crashing (${status.restartCount ?? 0} restarts${waiting?.reason ? `, ${waiting.reason}` : ''}) in pod ${pod.metadata.name}`,
          hint: `Read its last output: \`kubectl logs -n ${namespace} ${pod.metadata.name} -c ${status.name} --previous\`.`,
        };
      }
    }
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False') {
      const unboundClaim = /unbound .*PersistentVolumeClaim/i.test(scheduled.message ?? '');
      return {
        object: name,
        reason: 'Unschedulable',
        message: `pod ${pod.metadata.name} is Pending: ${scheduled.message ?? scheduled.reason ?? 'unschedulable'}`,
        hint: unboundClaim
          ? `A claim the pod mounts is not bound: \`kubectl get pvc -n ${namespace}\` shows which; see the PersistentVolumeClaim diagnosis.`
          : 'No node has room for it: lower its resource requests, or give the cluster more CPU/memory (cluster.cpus / cluster.memoryMb in qed.config.yaml).',
      };
    }
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
    const allRunning = (pod.status?.containerStatuses ?? []).every((s) => s.state?.running !== undefined);
    if (ready?.status === 'False' && allRunning && (pod.status?.containerStatuses?.length ?? 0) > 0) {
      const podEvents = await eventsFor(api, namespace, 'Pod', pod.metadata.name);
      const unhealthy = latest(podEvents.filter((e) => e.reason === 'Unhealthy'));
      return {
        object: name,
        reason: 'ReadinessProbe',
        message: `pod ${pod.metadata.name} runs but is not ready${unhealthy?.message ? `: ${unhealthy.message}` : ''}`,
        hint: `The readiness probe fails: check the port it probes and the app's start-up time (\`kubectl logs -n ${namespace} ${pod.metadata.name}\`).`,
      };
    }
  }
  const warning = latest(events.filter((e) => e.type === 'Warning'));
  return {
    object: name,
    reason: 'Progressing',
    message: warning?.message ? `${warning.reason}: ${warning.message}` : 'still rolling out',
    hint: `Give it more time (--timeout), or look at \`kubectl describe ${object.kind.toLowerCase()} -n ${namespace} ${object.metadata.name}\`.`,
  };
}

async function podsOf(api: KubeApi, discovery: Discovery, object: KubeObject): Promise<Pod[]> {
  const selector = (object as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels;
  if (!selector) return [];
  const info = await discovery.require({ apiVersion: 'v1', kind: 'Pod' });
  const list = await api.request<{ items: Pod[] }>({
    method: 'GET',
    path: resourcePath('v1', info, object.metadata.namespace ?? 'default'),
    query: { labelSelector: Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',') },
  });
  return list.items;
}

async function eventsFor(api: KubeApi, namespace: string, kind: string, name: string): Promise<Event[]> {
  const list = await api.request<{ items: Event[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    query: { fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` },
  });
  return list.items;
}

function latest(events: Event[]): Event | undefined {
  const time = (e: Event) => Date.parse(e.lastTimestamp ?? e.eventTime ?? '') || 0;
  return [...events].sort((a, b) => time(b) - time(a))[0];
}
