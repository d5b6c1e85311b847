import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answeringRegistryApi, planView, runStep, stepWorld } from '../__fixtures__/step-world.js';
import type { StepContext } from '../pipeline-types.js';
import { registryStep } from './registry-step.js';

/** A kubeconfig with one context, carrying minikube's extension or not. */
async function kubeconfig(dir: string, context: string, madeByMinikube: boolean): Promise<string> {
  const extension = madeByMinikube
    ? '\n    extensions:\n    - name: context_info\n      extension: { provider: minikube.sigs.k8s.io, version: v1.38.1 }'
    : '';
  const file = path.join(dir, `kubeconfig-${context}`);
  await writeFile(file, `apiVersion: v1\nkind: Config\ncontexts:\n- name: ${context}\n  context:\n    cluster: ${context}\n    user: ${context}${extension}\ncurrent-context: ${context}\n`);
  return file;
}

/** Counts connections to the cluster: publishing the ConfigMap needs one. */
function countConnections(ctx: StepContext): () => number {
  let connections = 0;
  const connect = ctx.cluster;
  ctx.cluster = () => {
    connections++;
    return connect();
  };
  return () => connections;
}

describe('registry step on an existing context', () => {
  const registries: Array<{ close: () => Promise<void> }> = [];
  afterEach(async () => {
    for (const r of registries.splice(0)) await r.close();
  });

  /** A registry already serving registry.host (someone else's): the step reuses it and starts nothing. */
  async function world(context: string, madeByMinikube: boolean) {
    const registry = await answeringRegistryApi();
    registries.push(registry);
    const first = await stepWorld();
    const file = await kubeconfig(first.cwd, context, madeByMinikube);
    const w = await stepWorld({ target: { kind: 'context', context }, registryHost: registry.host, env: { KUBECONFIG: file } });
    w.runner
      .on('docker', ['container', 'inspect', 'registry-unit'], { exitCode: 1, stderr: 'Error: No such container: registry-unit' })
      .on('lsof', undefined, { stdout: `p${process.pid}\ncregistry\n` });
    return { ...w, registry, connections: countConnections(w.ctx) };
  }

  it('not made by minikube: publishes no local-registry-hosting, says why, and never asks the cluster', async () => {
    const { ctx, connections } = await world('kind-kind', false);
    const plan = await planView(registryStep, ctx);
    expect(plan.lines[2]).toBe(
      'skip: local-registry-hosting not published: qed-bootstrap knows how a minikube node reaches this machine, and context kind-kind was not made by minikube: the cluster reaches its registry its own way',
    );
    const done = await runStep(registryStep, ctx);
    expect(done.detail).toContain('; local-registry-hosting not published: qed-bootstrap knows how a minikube node reaches this machine');
    expect(connections()).toBe(0);
  });

  it("made by minikube (its extension on the context): the node's address for the profile's driver, and the ConfigMap is published", async () => {
    const { ctx, runner, registry, connections } = await world('minikube', true);
    const config = { Driver: 'none', InsecureRegistry: [registry.host], KubernetesConfig: {} };
    runner
      .on('minikube', ['profile', 'list', '-o', 'json'], { stdout: JSON.stringify({ invalid: [], valid: [{ Name: 'minikube', Status: 'OK', Config: config }] }) })
      .on('minikube', ['status', '-p', 'minikube', '-o', 'json'], { stdout: '{"Name":"minikube","Host":"Running","Kubelet":"Running","APIServer":"Running","Kubeconfig":"Configured","Worker":false}' });
    const plan = await planView(registryStep, ctx);
    expect(plan.lines[2]).toBe(`server-side apply ConfigMap kube-public/local-registry-hosting (the cluster pulls from ${registry.host})`);
    // The world's API server does not answer: the publish is tried, and fails as a connection does.
    await expect(runStep(registryStep, ctx)).rejects.toThrow();
    expect(connections()).toBe(1);
  });
});
