import type { OperatingSystem } from '@qed/core';
import type { CheckResult } from '@qed/env-check';
import { describe, expect, it } from 'vitest';
import { planView, runStep, stepWorld } from '../__fixtures__/step-world.js';
import { doctorStep } from './doctor-step.js';

const result = (id: string, status: CheckResult['status'], detail = `${id} is ${status}`, hint: string | null = null): CheckResult => ({
  id,
  title: id,
  status,
  version: null,
  required: null,
  detail,
  hint,
});

describe('doctor step', () => {
  it.each([
    ['linux', 16],
    ['wsl', 16],
    ['macos', 17],
    ['windows', 15],
  ] as const)('plans the checks that run on %s: %i for minikube', async (os: OperatingSystem, count) => {
    const { ctx } = await stepWorld({ os });
    const plan = await planView(doctorStep, ctx);
    expect(plan.summary).toBe(`run ${count} checks; changes nothing`);
    expect(plan.lines).toHaveLength(count);
    expect(plan.lines[0]).toBe('check docker: Docker engine');
  });

  it('plans 5 checks for an existing context', async () => {
    const { ctx } = await stepWorld({ target: { kind: 'context', context: 'kind-kind' } });
    expect((await planView(doctorStep, ctx)).lines).toEqual([
      'check docker: Docker engine',
      'check kubectl: kubectl',
      'check go: Go toolchain',
      'check kompose: kompose',
      'check registry-port: Registry port',
    ]);
  });

  it('passes with the count of each status and the warnings named', async () => {
    const { ctx } = await stepWorld({
      doctor: { ok: true, checks: [result('docker', 'ok'), result('kubectl', 'ok'), result('podman', 'warn'), result('cpu', 'warn'), result('kvm2', 'skip')] },
    });
    expect(await runStep(doctorStep, ctx)).toEqual({ detail: '5 checks: 2 ok, 2 warn, 1 skip (warnings: podman, cpu)' });
  });

  it('fails with DOCTOR_FAILED naming each failed check, its finding and its fix; for minikube it points at --target', async () => {
    const { ctx } = await stepWorld({
      doctor: {
        ok: false,
        checks: [
          result('docker', 'fail', 'the engine is not reachable', 'Start Docker Desktop.'),
          result('kubectl', 'ok'),
          result('minikube', 'fail', 'minikube is not installed (not on PATH)', null),
        ],
      },
    });
    const error = await runStep(doctorStep, ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DOCTOR_FAILED',
      message: '2 required checks failed: docker (the engine is not reachable); minikube (minikube is not installed (not on PATH))',
      data: { checks: ['docker', 'minikube'] },
    });
    expect((error as { hint: string }).hint).toBe(
      'docker: Start Docker Desktop. minikube: see `qed-bootstrap doctor` Then run `npx qed-bootstrap` again; it resumes at the doctor. (Deploying to an existing cluster instead? --target context:NAME needs no minikube.)',
    );
  });

  it('an existing context: one failed check, and no word of --target', async () => {
    const { ctx } = await stepWorld({
      target: { kind: 'context', context: 'kind-kind' },
      doctor: { ok: false, checks: [result('kubectl', 'fail', 'kubectl is not installed (not on PATH)', 'Install kubectl.')] },
    });
    const error = await runStep(doctorStep, ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DOCTOR_FAILED', message: '1 required check failed: kubectl (kubectl is not installed (not on PATH))' });
    expect((error as { hint: string }).hint).toBe('kubectl: Install kubectl. Then run `npx qed-bootstrap` again; it resumes at the doctor.');
  });
});
