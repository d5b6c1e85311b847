import { isQedError, QedError } from '@qed/core';
import { KubeApiError } from '@qed/kube';
import { describe, expect, it } from 'vitest';
import { applyFailure } from './apply-failure.js';

const service = { kind: 'Service', metadata: { name: 'django', namespace: 'qed' } };

describe('applyFailure', () => {
  it.each([
    [429, 'TooManyRequests', 'apiserver is shutting down'],
    [503, 'ServiceUnavailable', 'the server is currently unable to handle the request'],
    [504, 'Timeout', 'request timed out'],
    [500, 'InternalError', 'apiserver is shutting down'],
    [422, 'Invalid', 'Service "qed-nginx" is invalid: spec.clusterIPs: Invalid value: [""]: failed to allocate IP: Post "https://127.0.0.1:37535/apis/networking.k8s.io/v1/ipaddresses": dial tcp 127.0.0.1:37535: connect: connection refused'],
  ])('%i %s is the server being unavailable: CLUSTER_UNAVAILABLE, naming the object, run again', (status, reason, message) => {
    const error = applyFailure(service, new KubeApiError(status, reason, message, []));
    expect(isQedError(error, 'CLUSTER_UNAVAILABLE')).toBe(true);
    expect((error as QedError).message).toBe(`the API server did not take Service qed/django: ${status} ${reason}: ${message}`);
    expect((error as QedError).hint).toContain('run the same command again');
    expect((error as QedError).data).toEqual({ object: 'Service qed/django', status, reason });
  });

  it('anything else the server refused is APPLY_FAILED, naming the object and the reason', () => {
    const error = applyFailure(service, new KubeApiError(422, 'Invalid', 'Service "django" is invalid: spec.ports: Required value', []));
    expect(isQedError(error, 'APPLY_FAILED')).toBe(true);
    expect((error as QedError).message).toBe('the API server refused Service qed/django: 422 Invalid: Service "django" is invalid: spec.ports: Required value');
  });

  it('leaves errors that are not the server\'s answer as they are', () => {
    const unreachable = new QedError('CLUSTER_UNREACHABLE', 'cannot reach the cluster');
    expect(applyFailure(service, unreachable)).toBe(unreachable);
    const bug = new TypeError('x is undefined');
    expect(applyFailure(service, bug)).toBe(bug);
  });
});
