import { joinNodePath } from '@qed/core';
import { type KubeObject, persistentVolumeName } from '@qed/manifests/kube-object';

/** The label kompose's kompose.volume.selector matches PersistentVolumes by. */
export const KOMPOSE_SELECTOR_LABEL = 'io.kompose.service';

export interface ClaimSettings {
  size: string;
  /** kompose.volume.storage-class-name: the claim is provisioned by that class, never bound to a local volume. */
  storageClassName?: string;
  /** kompose.volume.selector: the claim binds only volumes labelled io.kompose.service=<selector>. */
  selector?: string;
}

/**
 * One PersistentVolumeClaim per named volume, shared by every service that mounts
 * it, and on the local profile (a data root) a hostPath PersistentVolume bound to
 * it from both sides. The first service to mount a volume decides its settings;
 * a later one asking for others is told.
 */
export class Claims {
  readonly claims = new Map<string, KubeObject>();
  readonly volumes = new Map<string, KubeObject>();
  private readonly decided = new Map<string, { settings: ClaimSettings; by: string }>();
  private readonly namespace: string;
  private readonly dataRootOnNode: string | undefined;

  constructor(namespace: string, dataRootOnNode: string | undefined) {
    this.namespace = namespace;
    this.dataRootOnNode = dataRootOnNode;
  }

  /** Adds the claim unless it exists; returns a message when the existing one differs from what `by` asks for. */
  add(name: string, settings: ClaimSettings, labels: Record<string, string>, by: string): string | undefined {
    const earlier = this.decided.get(name);
    if (earlier) {
      const differs = (['size', 'storageClassName', 'selector'] as const).filter((k) => settings[k] !== earlier.settings[k]);
      return differs.length > 0 && earlier.by !== by
        ? `the claim ${name} is already made for ${earlier.by} with ${differs.map((k) => `${k} ${earlier.settings[k] ?? '(none)'}`).join(', ')}; this service's ${differs.join(', ')} is not used`
        : undefined;
    }
    this.decided.set(name, { settings, by });
    // On the local profile the claim is bound to its own volume by name, from both sides; a storage class the user named wins.
    const local = this.dataRootOnNode !== undefined && settings.storageClassName === undefined;
    const pvName = persistentVolumeName(this.namespace, name);
    this.claims.set(name, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: settings.size } },
        ...(local ? { storageClassName: '', volumeName: pvName } : {}),
        ...(settings.storageClassName ? { storageClassName: settings.storageClassName } : {}),
        ...(settings.selector && !local ? { selector: { matchLabels: { [KOMPOSE_SELECTOR_LABEL]: settings.selector } } } : {}),
      },
    });
    if (!local || this.dataRootOnNode === undefined) return undefined;
    this.volumes.set(pvName, {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, labels },
      spec: {
        capacity: { storage: settings.size },
        accessModes: ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: this.namespace, name },
        hostPath: { path: joinNodePath(this.dataRootOnNode, pvName), type: 'DirectoryOrCreate' },
      },
    });
    return settings.selector ? `kompose.volume.selector ${settings.selector} is not used: on the local profile the claim ${name} is bound to its own PersistentVolume` : undefined;
  }
}
