import { QedError } from '@qed/core';
import { KubeApiError } from '@qed/kube';
import { describeObject, type KubeObject } from '../kube-object.js';

/**
 * An apply the API server answered with an error, as an error the user can act on,
 * naming the object. The server restarting or overloaded is CLUSTER_UNAVAILABLE:
 * 429, 503, 504, "apiserver is shutting down", or a refusal because the server
 * could not reach itself or a webhook ("connection refused": a Service applied
 * while its API server stops gets 422 "failed to allocate IP: … connection
 * refused"). Nothing is wrong with the object then, and the same command applies
 * the rest once the server is back, what was applied already being applied again
 * unchanged. Anything else the server refused is APPLY_FAILED. Errors that are not the server's answer (CLUSTER_UNREACHABLE from
 * the transport, …) are returned as they are.
 */
export function applyFailure(object: Pick<KubeObject, 'kind' | 'metadata'>, error: unknown): unknown {
  if (!(error instanceof KubeApiError)) return error;
  const what = describeObject(object);
  const data = { object: what, status: error.status, reason: error.reason };
  if (isTransient(error)) {
    return new QedError('CLUSTER_UNAVAILABLE', `the API server did not take ${what}: ${error.status} ${error.reason}: ${error.message}`, {
      hint: 'The API server is restarting or overloaded (or something it calls, such as a webhook, does not answer). Once it answers (`kubectl get --raw /readyz` prints ok), run the same command again: what was applied already is applied again unchanged, the rest is applied.',
      cause: error,
      data,
    });
  }
  return new QedError('APPLY_FAILED', `the API server refused ${what}: ${error.status} ${error.reason}: ${error.message}`, {
    hint: 'Fix what the message names in the object (or in the cluster: a missing CRD, a policy that rejects it), then run the same command again.',
    cause: error,
    data,
  });
}

/** The server restarting or overloaded: nothing is wrong with the object sent. */
export function isTransient(error: KubeApiError): boolean {
  return [429, 503, 504].includes(error.status) || ['TooManyRequests', 'ServiceUnavailable', 'Timeout', 'ServerTimeout'].includes(error.reason) || /shutting down|connection refused/i.test(error.message);
}
