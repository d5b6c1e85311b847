import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultQedConfig, ProcessRunner } from '@qed/core';
import { type ClusterConnection, connectCluster, type KubeApi, type KubeRequest } from '@qed/kube';
import { QED_MANIFESTS_DIR, requiredSecretKeys } from '@qed/manifests';
import { describeOnTestenv } from 'testenv/vitest';
import { expect, it } from 'vitest';
import { standInDone } from './__fixtures__/stand-in-steps.js';
import { type AnyBootstrapStep, anyStep, type BootstrapDeps, type BootstrapInput } from './pipeline-types.js';
import { runBootstrap } from './run-bootstrap.js';
import type { StepId } from './step-ids.js';
import { BOOTSTRAP_STEPS } from './steps/index.js';
import { manifestsStep } from './steps/manifests-step.js';

describeOnTestenv('one run hands the manifests step\'s objects to the apply step in memory', (connection) => {
  it('the server validates the set once per run; the run never reads back what it wrote, and a later run resumes from the files', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-handoff-'));
    const namespace = `qed-handoff-${randomBytes(3).toString('hex')}`;
    // The aws profile: no cluster-scoped volumes, so nothing collides with other suites.
    const keys = await requiredSecretKeys(QED_MANIFESTS_DIR);
    const env = Object.fromEntries(keys.map((key) => [`QED_SECRET_${key}`, 'test-only-value']));
    const input: BootstrapInput = {
      config: defaultQedConfig(cwd),
      target: { kind: 'context', context: connection.QED_TESTENV_CONTEXT },
      namespace,
      profile: 'aws',
      consent: false,
      fixDockerConfig: false,
    };

    // Every request the run sends, with the step it was sent in.
    let step: StepId | undefined;
    const sent: Array<{ step: StepId | undefined; method: string; dryRun: boolean }> = [];
    const connect = async (context: string): Promise<ClusterConnection> => {
      const real = await connectCluster({ kubeconfig: connection.KUBECONFIG, context });
      const api: KubeApi = {
        request<T>(request: KubeRequest): Promise<T> {
          sent.push({ step, method: request.method, dryRun: request.query?.dryRun !== undefined });
          return real.api.request<T>(request);
        },
      };
      return { ...real, api };
    };
    const deps: BootstrapDeps = { cwd, homeDir: cwd, env, runner: new ProcessRunner(), connect };
    // Once the manifests step has written and validated the set, its files are spoiled:
    // the apply step of this run must not notice; a later run must.
    const spoiled = path.join(cwd, '.qed', 'manifests', '00-spoiled.yaml');
    const spoilingManifests = anyStep({
      ...manifestsStep,
      async apply(ctx, plan) {
        const outcome = await manifestsStep.apply(ctx, plan);
        await writeFile(spoiled, 'kind: [this is not\n');
        return outcome;
      },
    });
    const steps: AnyBootstrapStep[] = BOOTSTRAP_STEPS.map((s) => (s.id === 'manifests' ? spoilingManifests : s.id === 'apply' ? s : standInDone(s)));
    const onEvent = (event: { type: string; step?: StepId; status?: string }) => {
      if (event.type === 'step' && event.status === 'started') step = event.step;
    };

    try {
      const run = await runBootstrap(input, deps, { renderer: 'silent', steps, to: 'apply', onEvent });
      expect(run.status, String(run.failed?.error)).toBe('succeeded');
      const objects = Number(/^(\d+) objects/.exec(run.steps.find((s) => s.id === 'manifests')?.detail ?? '')?.[1]);
      expect(objects).toBeGreaterThan(10);
      expect(run.steps.find((s) => s.id === 'apply')?.detail).toBe(`${objects} created in namespace ${namespace}`);
      const patches = (inStep: StepId, dryRun: boolean) => sent.filter((r) => r.step === inStep && r.method === 'PATCH' && r.dryRun === dryRun).length;
      // The manifests step asks the server's strict dry run once per object; the apply step does not ask again.
      expect(patches('manifests', true)).toBe(objects);
      expect(patches('apply', true)).toBe(0);
      expect(patches('apply', false)).toBe(objects);

      const resumed = await runBootstrap(input, deps, { renderer: 'silent', steps, from: 'apply', to: 'apply' });
      expect(resumed.status).toBe('failed');
      expect(resumed.failed?.step).toBe('apply');
      expect(String(resumed.failed?.error)).toContain(spoiled);
    } finally {
      const { api } = await connectCluster({ kubeconfig: connection.KUBECONFIG, context: connection.QED_TESTENV_CONTEXT });
      await api.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
    }
  });
});
