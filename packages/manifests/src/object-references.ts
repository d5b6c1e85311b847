import type { KubeObject } from './kube-object.js';
import { containersOf, isNamespaced, podSpecOf } from './pod-spec.js';
import { type FieldPath, isFields, valueAt } from './records.js';

/** One place where an object names another object by its metadata.name. */
export interface ObjectReference {
  /** The kind of the object named. */
  kind: string;
  /** Where the name is written, from the root of the referring object. */
  path: FieldPath;
  name: string;
  /**
   * The namespace the named object is looked up in: written beside the name (a
   * claimRef, a RoleBinding subject) or the referring object's own; '' when neither
   * says (the namespace the set is applied into); null for cluster-scoped kinds.
   */
  namespace: string | null;
}

/**
 * Every name in `object` that points at another object of the set: the namespace it
 * is in; claims, ConfigMaps, Secrets, the service account and the priority class a
 * pod uses; a StatefulSet's governing Service; storage classes; the volume a claim
 * binds and the claim a volume is reserved for; an Ingress's Services, certificates
 * and class; a RoleBinding's role and service accounts. Renaming an object means
 * renaming these.
 */
export function objectReferences(object: KubeObject): ObjectReference[] {
  const own = object.metadata.namespace ?? '';
  const found: ObjectReference[] = [];
  const add = (kind: string, path: FieldPath, namespace?: string) => {
    const name = valueAt(object, path);
    if (typeof name !== 'string' || name === '') return;
    found.push({ kind, path, name, namespace: isNamespaced(kind) ? (namespace ?? own) : null });
  };
  const eachIndex = (path: FieldPath, visit: (itemPath: FieldPath, item: Record<string, unknown>) => void) => {
    const list = valueAt(object, path);
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      if (isFields(item)) visit([...path, i], item);
    });
  };

  add('Namespace', ['metadata', 'namespace']);
  const pod = podSpecOf(object);
  if (pod) {
    const spec = pod.path;
    add('ServiceAccount', [...spec, 'serviceAccountName']);
    add('PriorityClass', [...spec, 'priorityClassName']);
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
    for (const { path: container } of containersOf(pod.spec, spec)) {
      eachIndex([...container, 'envFrom'], (p) => {
        add('ConfigMap', [...p, 'configMapRef', 'name']);
        add('Secret', [...p, 'secretRef', 'name']);
      });
      eachIndex([...container, 'env'], (p) => {
        add('ConfigMap', [...p, 'valueFrom', 'configMapKeyRef', 'name']);
        add('Secret', [...p, 'valueFrom', 'secretKeyRef', 'name']);
      });
    }
  }
  switch (object.kind) {
    case 'StatefulSet':
      add('Service', ['spec', 'serviceName']);
      eachIndex(['spec', 'volumeClaimTemplates'], (p) => add('StorageClass', [...p, 'spec', 'storageClassName']));
      break;
    case 'PersistentVolumeClaim':
      add('PersistentVolume', ['spec', 'volumeName']);
      add('StorageClass', ['spec', 'storageClassName']);
      break;
    case 'PersistentVolume': {
      const claimNamespace = valueAt(object, ['spec', 'claimRef', 'namespace']);
      add('Namespace', ['spec', 'claimRef', 'namespace']);
      add('PersistentVolumeClaim', ['spec', 'claimRef', 'name'], typeof claimNamespace === 'string' ? claimNamespace : '');
      add('StorageClass', ['spec', 'storageClassName']);
      break;
    }
    case 'Ingress':
      add('IngressClass', ['spec', 'ingressClassName']);
      add('Service', ['spec', 'defaultBackend', 'service', 'name']);
      eachIndex(['spec', 'rules'], (rule) =>
        eachIndex([...rule, 'http', 'paths'], (p) => add('Service', [...p, 'backend', 'service', 'name'])),
      );
      eachIndex(['spec', 'tls'], (p) => add('Secret', [...p, 'secretName']));
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const roleKind = valueAt(object, ['roleRef', 'kind']);
      if (roleKind === 'Role' || roleKind === 'ClusterRole') add(roleKind, ['roleRef', 'name']);
      eachIndex(['subjects'], (p, subject) => {
        if (subject.kind !== 'ServiceAccount') return;
        add('Namespace', [...p, 'namespace']);
        add('ServiceAccount', [...p, 'name'], typeof subject.namespace === 'string' ? subject.namespace : undefined);
      });
      break;
    }
    case 'HorizontalPodAutoscaler': {
      const kind = valueAt(object, ['spec', 'scaleTargetRef', 'kind']);
      if (typeof kind === 'string') add(kind, ['spec', 'scaleTargetRef', 'name']);
      break;
    }
  }
  return found;
}
