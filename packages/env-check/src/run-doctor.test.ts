import { QedError } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { latch } from './__fixtures__/latch.js';
import { testContext } from './__fixtures__/test-context.js';
import type { CheckResult, CheckStatus, EnvironmentCheck } from './check-types.js';
import { defaultChecks } from './default-checks.js';
import { defineCheck } from './define-check.js';
import { runCheck, runDoctor } from './run-doctor.js';

const returning = (id: string, status: CheckStatus): EnvironmentCheck =>
  defineCheck(id, `Check ${id}`, async (_ctx, report) => report({ status, detail: `${id} is ${status}` }));

describe('runDoctor', () => {
  it('runs every check at once: each waits until all have started', async () => {
    const allStarted = latch(4);
    const checks = ['a', 'b', 'c', 'd'].map((id) =>
      defineCheck(id, id, async (_ctx, report) => {
        await allStarted.arrive();
        return report({ status: 'ok', detail: 'started with the others' });
      }),
    );
    const report = await runDoctor(testContext(), checks);
    expect(report.checks.map((c) => c.detail)).toEqual(Array(4).fill('started with the others'));
    expect(allStarted.arrived).toBe(4);
  });

  it('keeps the order of the checks, not the order they finish in', async () => {
    const slowFirst = defineCheck('slow', 'slow', async (_ctx, report) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return report({ status: 'ok', detail: 'slow' });
    });
    const report = await runDoctor(testContext(), [
      slowFirst,
      returning('fast', 'ok'),
      returning('faster', 'skip'),
    ]);
    expect(report.checks.map((c) => c.id)).toEqual(['slow', 'fast', 'faster']);
  });

  it.each([
    [['ok', 'warn', 'skip'], true],
    [['ok', 'fail', 'ok'], false],
    [[], true],
  ] as const)('with statuses %j is ok: %s', async (statuses, ok) => {
    const report = await runDoctor(
      testContext(),
      statuses.map((status, i) => returning(`c${i}`, status)),
    );
    expect(report.ok).toBe(ok);
  });

  it('reports a throwing check as a failed one, and still runs the rest', async () => {
    const broken = defineCheck('broken', 'Broken', async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'Version')");
    });
    const report = await runDoctor(testContext(), [broken, returning('fine', 'ok')]);
    expect(report.ok).toBe(false);
    expect(report.checks[1]?.status).toBe('ok');
    expect(report.checks[0]).toMatchObject({
      id: 'broken',
      title: 'Broken',
      status: 'fail',
      detail:
        "internal error in check broken: Cannot read properties of undefined (reading 'Version') (this is a bug)",
    });
    expect(report.checks[0]?.hint).toMatch(
      /^Please report it with the output of `qed-bootstrap doctor --json`; it was thrown at /,
    );
  });

  it('runs the default checks when given none: on a bare machine, a clean report without internal errors', async () => {
    const runner = new FakeCommandRunner();
    for (const tool of [
      'docker',
      'kubectl',
      'go',
      'minikube',
      'VBoxManage',
      'virsh',
      'qemu-system-x86_64',
      'podman',
      'vmrun',
      'kompose',
      'lsof',
    ]) {
      runner.on(tool, undefined, { notInstalled: true });
    }
    const report = await runDoctor(testContext({ runner }));
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['docker', 'fail'],
      ['kubectl', 'fail'],
      ['go', 'skip'],
      ['minikube', 'fail'],
      ['virtualbox', 'skip'],
      ['hyperv', 'skip'],
      ['kvm2', 'skip'],
      ['qemu2', 'skip'],
      ['podman', 'skip'],
      ['vmware', 'skip'],
      ['virtualization', 'warn'],
      ['kompose', 'skip'],
      ['cpu', 'ok'],
      ['memory', 'ok'],
      ['disk', 'ok'],
      ['registry-port', 'ok'],
    ]);
    expect(report.checks.map((c) => c.id)).toEqual(
      defaultChecks.filter((c) => c.platforms?.includes('linux') ?? true).map((c) => c.id),
    );
    expect(report.checks.filter((c) => c.detail.includes('this is a bug'))).toEqual([]);
    expect(report.ok).toBe(false);
  });
});

describe('runDoctor on each OS', () => {
  const macOnly = defineCheck(
    'mac-only',
    'Mac only',
    async (_ctx, report) => report({ status: 'ok', detail: 'ran' }),
    {
      platforms: ['macos'],
    },
  );

  it('leaves out a check declared for other OSes, and runs it where it applies', async () => {
    expect(
      (await runDoctor(testContext({ os: 'linux' }), [macOnly, returning('all', 'ok')])).checks.map(
        (c) => c.id,
      ),
    ).toEqual(['all']);
    expect((await runDoctor(testContext({ os: 'macos' }), [macOnly])).checks).toMatchObject([
      { id: 'mac-only', detail: 'ran' },
    ]);
  });

  it('reports a skip, running nothing, when such a check is run directly elsewhere', async () => {
    expect(await macOnly.run(testContext({ os: 'windows' }))).toMatchObject({
      status: 'skip',
      detail: 'applies only on macOS',
    });
  });

  it.each([
    ['linux', ['kvm2', 'qemu2', 'podman', 'vmware']],
    ['wsl', ['kvm2', 'qemu2', 'podman', 'vmware']],
    ['macos', ['qemu2', 'vfkit', 'podman', 'parallels', 'vmware']],
    ['windows', ['qemu2', 'podman', 'vmware']],
  ] as const)("on %s runs the driver checks %j besides the guide's", (os, drivers) => {
    const ids = defaultChecks.filter((c) => c.platforms?.includes(os) ?? true).map((c) => c.id);
    expect(
      ids.filter((id) => ['kvm2', 'qemu2', 'vfkit', 'podman', 'parallels', 'vmware'].includes(id)),
    ).toEqual(drivers);
  });
});

describe('runCheck', () => {
  it('returns what the check returns', async () => {
    const result = await runCheck(returning('x', 'warn'), testContext());
    expect(result).toEqual<CheckResult>({
      id: 'x',
      title: 'Check x',
      status: 'warn',
      version: null,
      required: null,
      detail: 'x is warn',
      hint: null,
    });
  });

  it('turns a command timeout into a failure with a hint', async () => {
    const runner = new FakeCommandRunner().on('docker', undefined, { timeout: true });
    const result = await runCheck(defaultChecks[0] as EnvironmentCheck, testContext({ runner }));
    expect(result).toMatchObject({ id: 'docker', status: 'fail', detail: 'docker did not finish in time' });
    expect(result.hint).toContain('run the command by hand');
  });

  it("keeps the runner's own hint for a timeout", async () => {
    const hanging = defineCheck('hang', 'Hang', async () => {
      throw new QedError('COMMAND_TIMEOUT', 'kubectl version -o json did not finish within 10s', {
        hint: 'Check that the tool is not waiting for input.',
      });
    });
    const result = await runCheck(hanging, testContext());
    expect(result).toMatchObject({
      status: 'fail',
      detail: 'kubectl version -o json did not finish within 10s',
      hint: 'Check that the tool is not waiting for input.',
    });
  });

  it('reports a thrown non-Error value as a bug too', async () => {
    const odd = defineCheck('odd', 'Odd', async () => {
      throw 'a string';
    });
    const result = await runCheck(odd, testContext());
    expect(result.detail).toBe('internal error in check odd: a string (this is a bug)');
    expect(result.hint).toBe('Please report it with the output of `qed-bootstrap doctor --json`.');
  });
});
