import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultQedConfig, fixedClock, isQedError, QedError } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { type AnyBootstrapStep, anyStep, type BootstrapDeps, type BootstrapInput } from './pipeline-types.js';
import { type BootstrapEvent, planBootstrap, runBootstrap } from './run-bootstrap.js';
import { STEP_IDS, type StepId } from './step-ids.js';
import { BOOTSTRAP_STEPS } from './steps/index.js';

const input: BootstrapInput = {
  config: { ...defaultQedConfig('/home/u'), registry: { host: '127.0.0.1:5057', name: 'registry-unit' } },
  target: { kind: 'context', context: 'kind-kind' },
  namespace: 'qed-unit',
  profile: 'local',
  consent: true,
  fixDockerConfig: false,
};

const linux = async () => ({ os: 'linux' as const, arch: 'x64', cpuCount: 4, totalMemoryBytes: 16e9, freeDiskBytes: 1e11, diskPath: '/', homeDir: '/home/u' });

async function world() {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-bootstrap-unit-'));
  const runner = new FakeCommandRunner().on('step', undefined, { stdout: 'ok' });
  const deps: BootstrapDeps = { cwd, homeDir: cwd, env: {}, runner, platform: linux, connect: () => Promise.reject(new Error('no cluster in unit tests')) };
  return { cwd, runner, deps, stateFile: path.join(cwd, '.qed', 'bootstrap-state.json') };
}

/** Steps that run one recorded command each (`step <id>`), so the runner's log is the order they ran in. */
function fakeSteps(behaviour: Partial<Record<StepId, 'fail' | 'skip' | 'hang'>> = {}): AnyBootstrapStep[] {
  return STEP_IDS.map((id) =>
    anyStep<{ planned: StepId }>({
    id,
    title: `step ${id}`,
    plan: async () => ({ planned: id }),
    describe: (plan) => ({ summary: `would ${plan.planned}`, lines: [`${plan.planned} line`] }),
    apply: async (ctx, plan) => {
      // The pipeline hands each step the plan it made: the command names the plan's step.
      await ctx.deps.runner.run({ command: 'step', args: [plan.planned] });
      if (behaviour[id] === 'fail') throw new QedError('STEP_BROKE', `${id} broke`, { hint: 'fix it' });
      if (behaviour[id] === 'hang') await new Promise(() => undefined);
      return behaviour[id] === 'skip' ? { detail: `${id} does not apply`, skipped: true } : { detail: `${id} done` };
    },
    }),
  );
}

const statuses = (events: BootstrapEvent[]) => events.map((e) => (e.type === 'step' ? `${e.step}:${e.status}` : `pipeline:${e.status}`));

describe('runBootstrap', () => {
  it('runs the steps in order, writes the state after each, and emits started/succeeded events with durations', async () => {
    const { runner, deps, stateFile } = await world();
    const events: BootstrapEvent[] = [];
    const result = await runBootstrap(input, { ...deps, clock: fixedClock('2026-12-01T10:20:30Z') }, { renderer: 'silent', steps: fakeSteps({ 'docker-config': 'skip' }), onEvent: (e) => events.push(e) });
    expect(result.exitCode).toBe(0);
    expect(runner.commandLines).toEqual(STEP_IDS.map((id) => `step ${id}`));
    // Every command got the pipeline's abort signal.
    expect(runner.calls.every((c) => c.signal instanceof AbortSignal)).toBe(true);
    expect(statuses(events)).toEqual([
      ...STEP_IDS.flatMap((id) => [`${id}:started`, `${id}:${id === 'docker-config' ? 'skipped' : 'succeeded'}`]),
      'pipeline:succeeded',
    ]);
    for (const event of events) {
      expect(JSON.parse(JSON.stringify(event))).toEqual(event);
      if (event.type === 'step') {
        expect(event.durationMs).toBeGreaterThanOrEqual(0);
        expect(event.detail).toBeTruthy();
      }
    }
    const state = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(state).toMatchObject({ finished: [...STEP_IDS], failed: null, completed: true, updatedAt: '2026-12-01T10:20:30.000Z' });
  });

  it('stops at a failed step, records it, and the same command resumes there with the earlier steps done in the previous run', async () => {
    const { runner, deps, stateFile } = await world();
    const failed = await runBootstrap(input, deps, { renderer: 'silent', steps: fakeSteps({ images: 'fail' }) });
    expect(failed).toMatchObject({ status: 'failed', exitCode: 1, failed: { step: 'images' } });
    expect(failed.resume).toContain('resumes at images');
    expect(runner.commandLines.at(-1)).toBe('step images');
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({
      finished: ['doctor', 'cluster', 'registry', 'docker-config'],
      failed: { step: 'images', code: 'STEP_BROKE', message: 'images broke' },
      completed: false,
    });

    runner.calls.length = 0;
    const events: BootstrapEvent[] = [];
    const resumed = await runBootstrap(input, deps, { renderer: 'silent', steps: fakeSteps(), onEvent: (e) => events.push(e) });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.selection.resumedFrom).toBe('images');
    expect(runner.commandLines).toEqual(['images', 'manifests', 'apply', 'wait', 'summary'].map((id) => `step ${id}`));
    expect(events.filter((e) => e.type === 'step' && e.detail === 'done in a previous run').map((e) => (e.type === 'step' ? e.step : ''))).toEqual(['doctor', 'cluster', 'registry', 'docker-config']);
    expect(resumed.steps.map((s) => s.status)).toEqual([...Array(4).fill('done-in-previous-run'), ...Array(5).fill('succeeded')]);

    // Completed: the next run starts from the beginning; changed inputs do too.
    runner.calls.length = 0;
    await runBootstrap(input, deps, { renderer: 'silent', steps: fakeSteps({ registry: 'fail' }) });
    expect(runner.commandLines).toEqual(['doctor', 'cluster', 'registry'].map((id) => `step ${id}`));
    runner.calls.length = 0;
    await runBootstrap({ ...input, namespace: 'other' }, deps, { renderer: 'silent', steps: fakeSteps() });
    expect(runner.commandLines[0]).toBe('step doctor');
  });

  it('--from/--to run only that range', async () => {
    const { runner, deps } = await world();
    const result = await runBootstrap(input, deps, { renderer: 'silent', steps: fakeSteps(), from: 'registry', to: 'images' });
    expect(runner.commandLines).toEqual(['step registry', 'step docker-config', 'step images']);
    expect(result.steps.filter((s) => s.status === 'not-selected').map((s) => s.id)).toEqual(['doctor', 'cluster', 'manifests', 'apply', 'wait', 'summary']);
  });

  it('Ctrl-C stops the running step at once, records it as interrupted and exits 130', async () => {
    const { deps, stateFile } = await world();
    const controller = new AbortController();
    const events: BootstrapEvent[] = [];
    const running = runBootstrap(input, deps, {
      renderer: 'silent',
      steps: fakeSteps({ apply: 'hang' }),
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        // The apply hangs until the signal: Ctrl-C once it has started.
        if (e.type === 'step' && e.step === 'apply' && e.status === 'started') setImmediate(() => controller.abort());
      },
    });
    const result = await running;
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130, failed: { step: 'apply' } });
    expect(result.resume).toContain('resumes at apply');
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ interrupted: 'apply', failed: null });
    expect(statuses(events).slice(-2)).toEqual(['apply:failed', 'pipeline:interrupted']);
  });
});

describe('runBootstrap: one run per folder', () => {
  const lockFileOf = (cwd: string) => path.join(cwd, '.qed', 'bootstrap.lock');

  it('a second run in the same folder stops with BOOTSTRAP_LOCKED naming the running PID and the lock file, and runs and writes nothing', async () => {
    const { deps, runner, stateFile, cwd } = await world();
    const controller = new AbortController();
    let applying: () => void = () => undefined;
    const applyStarted = new Promise<void>((resolve) => {
      applying = resolve;
    });
    const first = runBootstrap(input, deps, {
      renderer: 'silent',
      steps: fakeSteps({ apply: 'hang' }),
      signal: controller.signal,
      command: 'npx qed-bootstrap --yes',
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 'apply' && e.status === 'started') applying();
      },
    });
    await applyStarted;
    const stateWhileRunning = await readFile(stateFile, 'utf8');
    const commandsWhileRunning = runner.commandLines.length;

    const second = await runBootstrap(input, deps, { renderer: 'silent', steps: fakeSteps() }).catch((e: unknown) => e);
    expect(isQedError(second, 'BOOTSTRAP_LOCKED'), String(second)).toBe(true);
    const { message, hint, data } = second as QedError;
    expect(message).toContain(`PID ${process.pid}`);
    expect(message).toContain(lockFileOf(cwd));
    expect(message).toContain('npx qed-bootstrap --yes');
    expect(hint).toMatch(/Wait for it to finish, or stop it/);
    expect(hint).toContain(`kill ${process.pid}`);
    expect(data).toMatchObject({ lockFile: lockFileOf(cwd), pid: process.pid });
    expect(runner.commandLines.length).toBe(commandsWhileRunning);
    expect(await readFile(stateFile, 'utf8')).toBe(stateWhileRunning);

    controller.abort();
    expect((await first).status).toBe('interrupted');
    await expect(access(lockFileOf(cwd))).rejects.toThrow(/ENOENT/);
    // Once the first has gone, the next run goes ahead.
    expect((await runBootstrap(input, deps, { renderer: 'silent', steps: fakeSteps() })).status).toBe('succeeded');
  });

  it.each([
    ['succeeded', {}],
    ['failed', { images: 'fail' as const }],
    ['interrupted', { apply: 'hang' as const }],
  ])('the lock is held while it runs and released when it has %s', async (status, behaviour) => {
    const { deps, cwd } = await world();
    const controller = new AbortController();
    let heldDuringRun: string | null = null;
    const result = await runBootstrap(input, deps, {
      renderer: 'silent',
      steps: fakeSteps(behaviour),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 'docker-config' && e.status === 'started') heldDuringRun = readFileSync(lockFileOf(cwd), 'utf8');
        // Only the hanging apply is interrupted: it waits for the signal, so no timing is involved.
        if (status === 'interrupted' && e.type === 'step' && e.step === 'apply' && e.status === 'started') setImmediate(() => controller.abort());
      },
    });
    expect(result.status).toBe(status);
    expect(heldDuringRun).toMatch(new RegExp(`^${process.pid}\n`));
    await expect(access(lockFileOf(cwd))).rejects.toThrow(/ENOENT/);
  });

  it('takes over a lock left by a process that has died, with a notice', async () => {
    const { deps, cwd } = await world();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    await mkdir(path.join(cwd, '.qed'), { recursive: true });
    await writeFile(lockFileOf(cwd), `${deadPid}\n${JSON.stringify({ pid: deadPid, hostname: os.hostname(), acquiredAt: '2026-01-02T03:04:05.000Z', command: 'npx qed-bootstrap' })}\n`);
    const notices: string[] = [];
    const result = await runBootstrap(input, deps, { renderer: 'silent', steps: fakeSteps(), onNotice: (n) => notices.push(n) });
    expect(result.status).toBe('succeeded');
    expect(notices).toEqual([
      `took over ${lockFileOf(cwd)}: it was left by PID ${deadPid} (npx qed-bootstrap, started 2026-01-02T03:04:05.000Z), which is no longer running`,
    ]);
    await expect(access(lockFileOf(cwd))).rejects.toThrow(/ENOENT/);
  });

  it('a corrupt state file stops the run before any step runs, naming the file; the file is left as it was', async () => {
    const { deps, runner, stateFile, cwd } = await world();
    await mkdir(path.dirname(stateFile), { recursive: true });
    await writeFile(stateFile, '{"version":1,');
    const error = await runBootstrap(input, deps, { renderer: 'silent', steps: fakeSteps() }).catch((e: unknown) => e);
    expect(isQedError(error, 'BOOTSTRAP_STATE_INVALID'), String(error)).toBe(true);
    expect((error as Error).message).toContain(`${stateFile} is not JSON`);
    expect(runner.commandLines).toEqual([]);
    expect(await readFile(stateFile, 'utf8')).toBe('{"version":1,');
    await expect(access(lockFileOf(cwd))).rejects.toThrow(/ENOENT/);
  });
});

describe('planBootstrap (--dry-run)', () => {
  it('plans the real steps without running anything that changes the world, and writes no state', async () => {
    const { cwd, deps } = await world();
    const runner = new FakeCommandRunner().on('docker', ['container', 'inspect', 'registry-unit'], { exitCode: 1, stderr: 'Error: No such container: registry-unit' });
    const planned = await planBootstrap(input, { ...deps, runner }, { to: 'docker-config' });
    expect(planned.map((p) => p.id)).toEqual(['doctor', 'cluster', 'registry', 'docker-config']);
    expect(planned.find((p) => p.id === 'doctor')?.plan?.lines).toContain('check docker: Docker engine');
    expect(planned.find((p) => p.id === 'doctor')?.plan?.lines.some((l) => l.includes('minikube'))).toBe(false);
    expect(planned.find((p) => p.id === 'cluster')?.plan?.summary).toBe('use the existing context kind-kind; no cluster is created');
    const registry = planned.find((p) => p.id === 'registry')?.plan;
    expect(registry?.lines[0]).toBe('docker run --detach --publish 127.0.0.1:5057:5000 --restart=always --volume registry-unit-data:/var/lib/registry --name registry-unit registry:2');
    expect(registry?.lines[2]).toMatch(/^skip: local-registry-hosting not published/);
    expect(planned.find((p) => p.id === 'docker-config')?.plan?.summary).toMatch(/^skip: only Docker Desktop on macOS/);
    // Only looked: docker was asked about the container, nothing was started.
    expect(runner.commandLines).toEqual(['docker container inspect registry-unit']);
    await expect(access(path.join(cwd, '.qed'))).rejects.toThrow();
  });

  it('takes no lock and writes nothing: every real step planned in a fresh folder leaves no .qed, and a held lock does not stop it', async () => {
    const { cwd, deps } = await world();
    // No recordings: any command a plan runs fails, and the plan says it cannot be made yet.
    const runner = new FakeCommandRunner();
    const all = await planBootstrap(input, { ...deps, runner });
    expect(all.map((p) => p.id)).toEqual([...STEP_IDS]);
    await expect(access(path.join(cwd, '.qed'))).rejects.toThrow(/ENOENT/);
    // A run holds the folder (this process, alive): the preview still works.
    await mkdir(path.join(cwd, '.qed'));
    await writeFile(path.join(cwd, '.qed', 'bootstrap.lock'), `${process.pid}\n`);
    expect((await planBootstrap(input, { ...deps, runner }, { to: 'doctor' })).map((p) => p.id)).toEqual(['doctor']);
  });

  it('the steps are the pipeline ids, in order', () => {
    expect(BOOTSTRAP_STEPS.map((s) => s.id)).toEqual([...STEP_IDS]);
  });
});
