import { CLUSTER_DRIVERS, CONTAINER_RUNTIMES } from '@qed/core';
import type { FixedValues } from './completion-spec.js';

// Written out rather than imported: their packages (@qed/bootstrap, @qed/manifests,
// @qed/compose) take most of a second to load, and a shell may run `completion`
// at every start. completion-values.test.ts checks each list against its package.
const MANIFEST_PROFILES = ['local', 'aws', 'azure'];
const STEP_IDS = ['doctor', 'cluster', 'registry', 'docker-config', 'images', 'manifests', 'apply', 'wait', 'summary'];

/** The fixed values of options and arguments that commander does not hold as choices. */
export const FIXED_VALUES: FixedValues = {
  '': { '--profile': MANIFEST_PROFILES, '--from': STEP_IDS, '--to': STEP_IDS, '--target': ['minikube'] },
  'manifests render': { '--profile': MANIFEST_PROFILES },
  convert: {
    '--volumes': ['persistentVolumeClaim', 'hostPath', 'emptyDir', 'configMap'],
    '--controller': ['deployment', 'statefulset', 'daemonset', 'replicationcontroller'],
    '--build': ['none', 'local'],
    '--bind-files': ['hostPath', 'configmap'],
    '--run-once': ['job', 'pod', 'controller'],
    '--service-group-mode': ['label', 'volume'],
    '--with-kompose-annotation': ['true', 'false'],
  },
  cluster: { action: ['up', 'status', 'stop', 'delete'], '--driver': CLUSTER_DRIVERS, '--container-runtime': CONTAINER_RUNTIMES },
  registry: { action: ['up', 'status', 'down'] },
  'docker-config': { action: ['check', 'fix', 'revert'] },
  images: { action: ['build', 'push'] },
};
