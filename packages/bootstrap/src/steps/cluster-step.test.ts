import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultQedConfig } from '@qed/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordNoMinikubeProfile, planView, runStep, stepWorld } from '../__fixtures__/step-world.js';
import { clusterStep } from './cluster-step.js';

/** A minikube target with the none driver, which allows one profile: minikube's default name. */
async function minikubeWorld() {
  const world = await stepWorld({ driver: 'none', config: { cluster: { ...defaultQedConfig('/').cluster, profile: 'minikube' } } });
  const progress: string[] = [];
  world.ctx.progress = (line) => progress.push(line);
  return { ...world, progress };
}

describe('cluster step, --target minikube', () => {
  it('plans the profile from minikube state and the doctor: an absent one is created with the registry as the node reaches it', async () => {
    const { ctx, runner, input } = await minikubeWorld();
    recordNoMinikubeProfile(runner, 'minikube');
    const plan = await planView(clusterStep, ctx);
    expect(plan.summary).toBe('create minikube profile minikube');
    expect(plan.lines[0]).toMatch(/^Driver none: driver none was asked for/);
    expect(plan.lines.at(-1)).toBe(`minikube start -p minikube --driver none --insecure-registry ${input.config.registry.host}    # create profile minikube with driver none`);
  });

  it('applies that plan: minikube start with progress, then the kube context', async () => {
    const { ctx, runner, input, progress } = await minikubeWorld();
    recordNoMinikubeProfile(runner, 'minikube');
    runner
      .on('minikube', ['start', '-p', 'minikube', '--driver', 'none', '--insecure-registry', input.config.registry.host], { stdout: '* Starting "minikube" primary control-plane node\n* Done! kubectl is now configured to use "minikube" cluster\n' })
      .on('kubectl', ['config', 'current-context'], { stdout: 'minikube\n' });
    expect(await runStep(clusterStep, ctx)).toEqual({ detail: 'minikube: create done; kubectl context minikube' });
    expect(progress).toEqual(['create profile minikube with driver none…', '* Done! kubectl is now configured to use "minikube" cluster']);
    // Planned once for the run: the facts were read once.
    expect(runner.commandLines.filter((c) => c === 'minikube version -o json')).toHaveLength(1);
  });

  it('a profile made with other settings is not recreated without consent', async () => {
    const { ctx, runner } = await minikubeWorld();
    const config = { Driver: 'none', CPUs: 2, Memory: 6000, DiskSize: 20000, InsecureRegistry: ['127.0.0.1:5050'], Mount: false, MountString: '', KubernetesConfig: { ContainerRuntime: 'containerd' } };
    runner
      .on('minikube', ['version', '-o', 'json'], { stdout: '{"commit":"c","minikubeVersion":"v1.38.1"}\n' })
      .on('minikube', ['profile', 'list', '-o', 'json'], { stdout: JSON.stringify({ invalid: [], valid: [{ Name: 'minikube', Status: 'OK', Config: config }] }) })
      .on('minikube', ['status', '-p', 'minikube', '-o', 'json'], { stdout: '{"Name":"minikube","Host":"Running","Kubelet":"Running","APIServer":"Running","Kubeconfig":"Configured","Worker":false}' });
    expect((await planView(clusterStep, ctx)).summary).toBe('recreate minikube profile minikube');
    await expect(runStep(clusterStep, ctx)).rejects.toMatchObject({ code: 'CONSENT_REQUIRED', message: expect.stringContaining('insecure-registry 127.0.0.1:5050 ->') });
    expect(runner.commandLines.filter((c) => /^minikube (delete|start)/.test(c))).toEqual([]);
  });
});

describe('cluster step, --target context:NAME', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('plans a check only, and runs nothing', async () => {
    const { ctx, runner } = await stepWorld({ target: { kind: 'context', context: 'kind-kind' } });
    expect(await planView(clusterStep, ctx)).toEqual({
      summary: 'use the existing context kind-kind; no cluster is created',
      lines: ['check that the kubeconfig has a context named kind-kind', 'GET /version on its API server (it must answer within 5s)'],
    });
    expect(runner.calls).toEqual([]);
  });

  it('a context the kubeconfig lacks is named with the ones it has; one whose API server does not answer says how to check it', async () => {
    const { ctx, cwd, server } = await stepWorld({ target: { kind: 'context', context: 'kind-kind' } });
    const kubeconfig = path.join(cwd, 'kubeconfig');
    await writeFile(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: kind-kind\n  cluster: { server: '${server}' }\nusers:\n- name: kind-kind\n  user: {}\ncontexts:\n- name: kind-kind\n  context: { cluster: kind-kind, user: kind-kind }\ncurrent-context: kind-kind\n`);
    vi.stubEnv('KUBECONFIG', kubeconfig);
    await expect(runStep(clusterStep, ctx)).rejects.toMatchObject({
      code: 'CLUSTER_UNREACHABLE',
      message: expect.stringContaining(`context kind-kind: the API server at ${server} does not answer`),
      hint: expect.stringContaining('npx qed-bootstrap --target context:kind-kind'),
    });
    const typo = await stepWorld({ target: { kind: 'context', context: 'kind-knid' } });
    await expect(runStep(clusterStep, typo.ctx)).rejects.toMatchObject({ code: 'CLUSTER_NO_CONTEXT', hint: 'Known contexts: kind-kind.' });
  });
});
