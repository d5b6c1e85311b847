import { joinNodePath } from '@qed/core';
import {
  type KubeObject,
  persistentVolumeName,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  LABEL_PART_OF,
  MANAGED_BY,
  PART_OF,
} from '../kube-object.js';
import type { Profile } from './load-profile.js';
import { isNamespaced, type PodSpec, podTemplateOf } from '../pod-spec.js';

export interface ProfileContext {
  profile: Profile;
  namespace: string;
  /** The data root as the cluster node sees it; null when the profile uses no host folders. */
  nodeRoot: string | null;
}

/**
 * Fits one service's objects (already copied) to a profile, in place: the namespace
 * on every namespaced object, the profile's storage class on every claim (and, with
 * persistentVolumes: hostPath, a PersistentVolume per claim bound to it by name from
 * both sides), and each host folder turned into a hostPath under the data root, an
 * emptyDir, or left out with its mounts (so the files the image ships are used).
 * Returns the PersistentVolumes made.
 */
export function applyProfile(objects: KubeObject[], service: string, context: ProfileContext): KubeObject[] {
  const { profile, namespace, nodeRoot } = context;
  const volumes: KubeObject[] = [];
  for (const object of objects) {
    // Right after the name, where a reader of the rendered YAML looks for it.
    if (isNamespaced(object.kind)) {
      const { name, ...rest } = object.metadata;
      object.metadata = { name, namespace, ...rest };
    }

    if (object.kind === 'PersistentVolumeClaim') {
      const spec = (object.spec ?? {}) as Record<string, unknown>;
      object.spec = spec;
      spec.storageClassName = profile.storageClassName;
      if (profile.persistentVolumes === 'hostPath') {
        const name = persistentVolumeName(namespace, object.metadata.name);
        spec.volumeName = name;
        volumes.push(persistentVolumeFor(object, service, name, context));
      }
    }

    const spec = podTemplateOf(object)?.template.spec;
    if (spec && profile.hostFolders === 'omit') omitHostFolders(spec);
    for (const volume of spec?.volumes ?? []) {
      if (!volume.hostPath) continue;
      const relative = volume.hostPath.path;
      delete volume.hostPath;
      if (profile.hostFolders === 'hostPath' && nodeRoot !== null) {
        volume.hostPath = { path: joinNodePath(nodeRoot, relative), type: 'DirectoryOrCreate' };
      } else {
        volume.emptyDir = {};
      }
    }
  }
  return volumes;
}

function omitHostFolders(spec: PodSpec): void {
  const dropped = new Set((spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name));
  if (dropped.size === 0) return;
  spec.volumes = (spec.volumes ?? []).filter((v) => !dropped.has(v.name));
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    if (container.volumeMounts) container.volumeMounts = container.volumeMounts.filter((m) => !dropped.has(m.name));
  }
}

function persistentVolumeFor(
  claim: KubeObject,
  service: string,
  name: string,
  context: ProfileContext,
): KubeObject {
  const { profile, namespace, nodeRoot } = context;
  if (nodeRoot === null) throw new Error('persistent volumes on host folders need a data root');
  const spec = claim.spec as {
    accessModes?: string[];
    resources?: { requests?: { storage?: string } };
    volumeMode?: string;
  };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      labels: { [LABEL_NAME]: service, [LABEL_PART_OF]: PART_OF, [LABEL_MANAGED_BY]: MANAGED_BY },
    },
    spec: {
      capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: spec.accessModes ?? ['ReadWriteOnce'],
      volumeMode: spec.volumeMode ?? 'Filesystem',
      persistentVolumeReclaimPolicy: profile.reclaimPolicy,
      storageClassName: profile.storageClassName,
      // Bound from both sides (the claim's volumeName and this claimRef), so the
      // pairing never depends on which matching volume the controller finds first.
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: claim.metadata.name },
      hostPath: { path: joinNodePath(nodeRoot, name), type: 'DirectoryOrCreate' },
    },
  };
}
