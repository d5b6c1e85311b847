import { QedError } from '@qed/core';

/**
 * Where the stack goes: the guide's minikube cluster (created or started by the
 * pipeline), or any existing kube context (kind, k3d, a remote cluster), which the
 * pipeline only checks and never creates.
 */
export type BootstrapTarget = { kind: 'minikube' } | { kind: 'context'; context: string };

export function parseTarget(value: string | undefined): BootstrapTarget {
  if (value === undefined || value === 'minikube') return { kind: 'minikube' };
  const match = /^context:(.+)$/.exec(value);
  if (match?.[1]) return { kind: 'context', context: match[1] };
  throw new QedError('USAGE', `--target ${JSON.stringify(value)} is not a cluster target`, {
    hint: 'Use --target minikube (the default) or --target context:NAME for an existing kube context (`kubectl config get-contexts` lists them).',
  });
}

export function formatTarget(target: BootstrapTarget): string {
  return target.kind === 'minikube' ? 'minikube' : `context:${target.context}`;
}
