import { isQedError } from '@qed/core';
import { KubeApiError } from '@qed/kube';
import { describe, expect, it } from 'vitest';
import type { ApplyTarget } from '../apply/server-side-apply.js';
import type { KubeObject, SourcedObject } from '../kube-object.js';
import { resolveFieldPath, serverProblems, validateOnServer } from './validate-on-server.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: [{ name: 'sidecar' }, { name: 'web' }] } } },
} as KubeObject;

describe('serverProblems', () => {
  it('uses the field causes of an Invalid status', () => {
    const error = new KubeApiError(422, 'Invalid', 'Deployment.apps "web" is invalid', [
      { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
    ]);
    expect(serverProblems(error)).toEqual([{ field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' }]);
  });

  it('finds unknown fields named in a strict typed-patch message', () => {
    const error = new KubeApiError(
      400,
      'BadRequest',
      'failed to create typed patch object (qed/web; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="web"].imagePullPolicey: field not declared in schema',
      [],
    );
    expect(serverProblems(error)).toEqual([
      { field: 'spec.template.spec.containers[name="web"].imagePullPolicey', message: 'unknown field (not in the schema of this kind)' },
    ]);
  });

  it('falls back to the message', () => {
    expect(serverProblems(new KubeApiError(403, 'Forbidden', 'forbidden: no', []))).toEqual([{ message: 'forbidden: no' }]);
  });
});

describe('resolveFieldPath', () => {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 443 }, { port: 80, protocl: 'TCP' }] } } as KubeObject;
  it.each([
    [deployment, 'spec.template.spec.containers[name="web"].image', ['spec', 'template', 'spec', 'containers', 1, 'image'], 'spec.template.spec.containers[1].image'],
    [deployment, 'spec.template.spec.containers[0].image', ['spec', 'template', 'spec', 'containers', 0, 'image'], 'spec.template.spec.containers[0].image'],
    [deployment, 'spec.replicas', ['spec', 'replicas'], 'spec.replicas'],
    // A key the server defaulted (protocol) is not in the object: the keys it has decide.
    [service, 'spec.ports[port=80,protocol="TCP"].protocl', ['spec', 'ports', 1, 'protocl'], 'spec.ports[1].protocl'],
    [deployment, 'spec.template.spec.containers[name="gone"].image', ['spec', 'template', 'spec', 'containers'], 'spec.template.spec.containers[name="gone"].image'],
  ])('%#: %s', (object, field, segments, display) => {
    expect(resolveFieldPath(object as KubeObject, field)).toEqual({ segments, display });
  });
});

describe('validateOnServer', () => {
  const SERVICES = { namespaced: true, resource: 'services', group: '', version: 'v1', kind: 'Service' };
  const service: SourcedObject = {
    object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } },
    source: { file: 'web.yaml', documentIndex: 0, line: 1, lineOf: () => 1 },
  };
  const answering = (patch: () => Promise<unknown>): ApplyTarget =>
    ({
      api: { request: (options: { method: string }) => (options.method === 'PATCH' ? patch() : Promise.resolve({})) },
      discovery: {
        lookup: async () => SERVICES,
        require: async () => SERVICES,
      },
    }) as unknown as ApplyTarget;

  it('a refusal of the object is a problem located in its file', async () => {
    const invalid = new KubeApiError(422, 'Invalid', 'Service "web" is invalid', [{ field: 'spec.ports[0].port', message: 'must be greater than 0' }]);
    const problems = await validateOnServer(answering(() => Promise.reject(invalid)), [service], 'qed');
    expect(problems.map((p) => `${p.file} ${p.field}: ${p.message}`)).toEqual(['web.yaml spec.ports[0].port: must be greater than 0']);
  });

  it('a server going down mid-check is CLUSTER_UNAVAILABLE, never a problem blamed on the file', async () => {
    const shuttingDown = new KubeApiError(500, 'InternalError', 'apiserver is shutting down', []);
    const error = await validateOnServer(answering(() => Promise.reject(shuttingDown)), [service], 'qed').catch((e: unknown) => e);
    expect(isQedError(error, 'CLUSTER_UNAVAILABLE')).toBe(true);
  });
});
