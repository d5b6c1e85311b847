import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import { readinessOf } from './readiness.js';

const live = (kind: string, body: Record<string, unknown>, generation = 1): KubeObject =>
  ({ apiVersion: 'apps/v1', kind, metadata: { name: 'x', generation }, ...body }) as KubeObject;

describe('readinessOf', () => {
  it.each([
    ['Deployment available', live('Deployment', { spec: { replicas: 2 }, status: { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] } }), true, '2/2 available'],
    ['Deployment not yet seen by its controller', live('Deployment', { spec: { replicas: 1 }, status: { observedGeneration: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] } }, 2), false, '1/1 available'],
    ['Deployment mid-rollout: the old pod still available, the new one starting', live('Deployment', { spec: { replicas: 1 }, status: { observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] } }, 2), false, '1/1 available'],
    ['Deployment rolled out: the old pod gone', live('Deployment', { spec: { replicas: 1 }, status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] } }, 2), true, '1/1 available'],
    ['Deployment short of replicas', live('Deployment', { spec: { replicas: 3 }, status: { observedGeneration: 1, updatedReplicas: 3, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] } }), false, '1/3 available'],
    ['ReplicationController ready', live('ReplicationController', { spec: { replicas: 2 }, status: { observedGeneration: 1, replicas: 2, readyReplicas: 2 } }), true, '2/2 ready'],
    ['ReplicationController starting', live('ReplicationController', { spec: { replicas: 2 }, status: { observedGeneration: 1, replicas: 2, readyReplicas: 1 } }), false, '1/2 ready'],
    ['StatefulSet ready', live('StatefulSet', { spec: { replicas: 1 }, status: { observedGeneration: 1, readyReplicas: 1, currentRevision: 'a', updateRevision: 'a' } }), true, '1/1 ready'],
    ['StatefulSet mid-update', live('StatefulSet', { spec: { replicas: 1 }, status: { observedGeneration: 1, readyReplicas: 1, currentRevision: 'a', updateRevision: 'b' } }), false, '1/1 ready'],
    ['PVC bound', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, status: { phase: 'Bound' } } as KubeObject, true, 'Bound'],
    ['PVC pending', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, status: { phase: 'Pending' } } as KubeObject, false, 'Pending'],
    ['Job complete', live('Job', { status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } }), true, 'complete'],
    ['a Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } } as KubeObject, true, 'applied'],
  ])('%s', (_name, object, ready, summary) => {
    expect(readinessOf(object)).toEqual({ ready, summary });
  });
});
