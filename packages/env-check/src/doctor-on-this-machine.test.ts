import { ZxCommandRunner, defaultQedConfig, detectPlatform } from '@qed/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, DoctorReport } from './check-types.js';
import { nodeCheckContext } from './node-check-context.js';
import { runDoctor } from './run-doctor.js';

/**
 * The real checks with the real runner on this project's machine, whose tools are
 * known: kubectl and go installed, the docker CLI without an engine, no minikube,
 * no libvirt, QEMU or VMware (podman may be there: the test environment uses it).
 * DOCKER_HOST is removed so the answer cannot depend on the shell the tests run in.
 */
describe('doctor on this machine', () => {
  let report: DoctorReport;
  const check = (id: string): CheckResult => {
    const found = report.checks.find((c) => c.id === id);
    if (!found) throw new Error(`no check ${id} in the report`);
    return found;
  };

  beforeAll(async () => {
    // No cluster either: a kubeconfig that does not exist, whatever KUBECONFIG the
    // shell has (under `npm test` it names the test cluster).
    const env = { ...process.env, DOCKER_HOST: undefined, KUBECONFIG: '/nonexistent/qed-doctor-test/kubeconfig' };
    const platform = await detectPlatform();
    const ctx = nodeCheckContext({
      runner: new ZxCommandRunner({ env }),
      platform,
      config: defaultQedConfig(platform.homeDir),
      env,
    });
    report = await runDoctor(ctx);
  }, 60_000);

  it('finds kubectl with its version', () => {
    expect(check('kubectl').version).toMatch(/^\d+\.\d+\.\d+/);
    expect(check('kubectl').status).not.toBe('fail');
  });

  it('finds go with its version', () => {
    expect(check('go')).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+/) });
  });

  it('finds the docker CLI but fails for want of an engine, with a fix', () => {
    const docker = check('docker');
    expect(docker.status).toBe('fail');
    expect(docker.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(docker.detail).toContain('the engine is not reachable');
    expect(docker.hint).not.toBeNull();
  });

  it('fails for the missing minikube, and so the report is not ok', () => {
    expect(check('minikube')).toMatchObject({
      status: 'fail',
      detail: 'minikube is not installed (not on PATH)',
    });
    expect(report.ok).toBe(false);
  });

  it('skips the drivers whose tools are not installed, and runs no check meant for macOS or Windows', () => {
    expect(check('kvm2')).toMatchObject({
      status: 'skip',
      detail: "libvirt's virsh is not installed (not on PATH); not needed for driver auto",
    });
    expect(check('qemu2')).toMatchObject({
      status: 'skip',
      detail: 'qemu-system-x86_64 is not installed (not on PATH); not needed for driver auto',
    });
    expect(check('vmware')).toMatchObject({
      status: 'skip',
      detail: 'vmrun is not installed (not on PATH); not needed for driver auto',
    });
    expect(report.checks.map((c) => c.id)).not.toContain('vfkit');
    expect(report.checks.map((c) => c.id)).not.toContain('parallels');
  });

  it('runs every check to a result, none of them a bug', () => {
    // The guide's twelve, and kvm2, qemu2, podman and vmware on Linux.
    expect(report.checks).toHaveLength(16);
    expect(report.checks.filter((c) => c.detail.includes('this is a bug'))).toEqual([]);
  });
});
