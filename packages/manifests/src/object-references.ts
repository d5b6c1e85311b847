import type { KubeObject } from './kube-object.js';
import { podSpecOf } from './pod-spec.js';
import { type FieldPath, isFields, valueAt } from './records.js';

/** One place where an object names another object by its metadata.name. */
export interface ObjectReference {
  /** The kind of the object named. */
  kind: string;
  /** Where the name is written, from the root of the referring object. */
  path: FieldPath;
  name: string;
}

/**
 * Every name in `object` that points at another object of the set: claims,
 * ConfigMaps, Secrets and the service account a pod uses; a StatefulSet's governing
 * Service; the volume a claim binds and the claim a volume is reserved for; an
 * Ingress's Services and certificates. Renaming an object means renaming these.
 */
export function objectReferences(object: KubeObject): ObjectReference[] {
  const found: ObjectReference[] = [];
  const add = (kind: string, path: FieldPath) => {
    const name = valueAt(object, path);
    if (typeof name === 'string' && name !== '') found.push({ kind, path, name });
  };
  const eachIndex = (path: FieldPath, visit: (itemPath: FieldPath, item: Record<string, unknown>) => void) => {
    const list = valueAt(object, path);
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      if (isFields(item)) visit([...path, i], item);
    });
  };

  const pod = podSpecOf(object);
  if (pod) {
    const spec = pod.path;
    add('ServiceAccount', [...spec, 'serviceAccountName']);
    eachIndex([...spec, 'imagePullSecrets'], (p) => add('Secret', [...p, 'name']));
    eachIndex([...spec, 'volumes'], (p) => {
      add('PersistentVolumeClaim', [...p, 'persistentVolumeClaim', 'claimName']);
      add('ConfigMap', [...p, 'configMap', 'name']);
      add('Secret', [...p, 'secret', 'secretName']);
      eachIndex([...p, 'projected', 'sources'], (source) => {
        add('ConfigMap', [...source, 'configMap', 'name']);
        add('Secret', [...source, 'secret', 'name']);
      });
    });
    for (const field of ['initContainers', 'containers']) {
      eachIndex([...spec, field], (container) => {
        eachIndex([...container, 'envFrom'], (p) => {
          add('ConfigMap', [...p, 'configMapRef', 'name']);
          add('Secret', [...p, 'secretRef', 'name']);
        });
        eachIndex([...container, 'env'], (p) => {
          add('ConfigMap', [...p, 'valueFrom', 'configMapKeyRef', 'name']);
          add('Secret', [...p, 'valueFrom', 'secretKeyRef', 'name']);
        });
      });
    }
  }
  switch (object.kind) {
    case 'StatefulSet':
      add('Service', ['spec', 'serviceName']);
      break;
    case 'PersistentVolumeClaim':
      add('PersistentVolume', ['spec', 'volumeName']);
      break;
    case 'PersistentVolume':
      add('PersistentVolumeClaim', ['spec', 'claimRef', 'name']);
      break;
    case 'Ingress':
      add('Service', ['spec', 'defaultBackend', 'service', 'name']);
      eachIndex(['spec', 'rules'], (rule) =>
        eachIndex([...rule, 'http', 'paths'], (p) => add('Service', [...p, 'backend', 'service', 'name'])),
      );
      eachIndex(['spec', 'tls'], (p) => add('Secret', [...p, 'secretName']));
      break;
    case 'HorizontalPodAutoscaler': {
      const kind = valueAt(object, ['spec', 'scaleTargetRef', 'kind']);
      if (typeof kind === 'string') add(kind, ['spec', 'scaleTargetRef', 'name']);
      break;
    }
  }
  return found;
}

/** Writes `value` at `path` inside `root`, which must already hold a value there. */
export function setValueAt(root: unknown, path: FieldPath, value: unknown): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isFields(parent) && typeof last === 'string') parent[last] = value;
}
