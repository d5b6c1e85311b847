import { defaultQedConfig, type PlatformFacts, ProcessRunner } from '@qed/core';
import { createStandInTools, type StandInAnswer } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { DOCKER_NO_ENGINE, DOCKER_RUNNING } from './__fixtures__/docker-outputs.js';
import { KUBECTL_NO_CLUSTER } from './__fixtures__/kubectl-outputs.js';
import { MINIKUBE_1_37 } from './__fixtures__/minikube-outputs.js';
import type { CheckResult, DoctorReport } from './check-types.js';
import { DOCKER_VERSION_ARGS } from './checks/docker-check.js';
import { KUBECTL_VERSION_ARGS } from './checks/kubectl-check.js';
import { MINIKUBE_VERSION_ARGS } from './checks/minikube-check.js';
import { nodeCheckContext } from './node-check-context.js';
import { runDoctor } from './run-doctor.js';

const GIB = 1024 ** 3;
const linux: PlatformFacts = { os: 'linux', arch: 'x64', cpuCount: 8, totalMemoryBytes: 32 * GIB, freeDiskBytes: 200 * GIB, diskPath: '/home/dev', homeDir: '/home/dev' };

/** Recorded on this project's machine: the docker CLI 28.2.2 without an engine, kubectl 1.32 without a cluster, go 1.26.8. */
const CI_MACHINE: Record<string, StandInAnswer[]> = {
  docker: [{ args: DOCKER_VERSION_ARGS, ...DOCKER_NO_ENGINE }],
  kubectl: [{ args: KUBECTL_VERSION_ARGS, ...KUBECTL_NO_CLUSTER }],
  go: [{ args: ['version'], stdout: 'go version go1.26.8 linux/amd64\n' }],
};

/** A QED developer's laptop: an engine running, minikube installed, kubectl; no Go. */
const LAPTOP: Record<string, StandInAnswer[]> = {
  docker: [{ args: DOCKER_VERSION_ARGS, ...DOCKER_RUNNING }],
  kubectl: [{ args: KUBECTL_VERSION_ARGS, ...KUBECTL_NO_CLUSTER }],
  minikube: [{ args: MINIKUBE_VERSION_ARGS, ...MINIKUBE_1_37 }],
};

/**
 * The real checks, with the real runner starting real processes, on a PATH of
 * stand-in tools answering in the real tools' recorded outputs: the report is the
 * same on any machine, whatever it has installed. The platform facts are given too
 * (Linux), so the set of checks does not follow the host's OS.
 */
async function doctorWith(tools: Record<string, StandInAnswer[]>): Promise<{ report: DoctorReport; check: (id: string) => CheckResult; calls: string[] }> {
  const standIns = await createStandInTools(tools);
  // No cluster and no DOCKER_HOST, whatever the shell exports (under `npm test` the test environment's).
  const env = { PATH: standIns.binDir, KUBECONFIG: '/nonexistent/qed-doctor-test/kubeconfig' };
  const report = await runDoctor(nodeCheckContext({ runner: new ProcessRunner({ env }), platform: linux, config: defaultQedConfig(linux.homeDir), env }));
  const check = (id: string): CheckResult => {
    const found = report.checks.find((c) => c.id === id);
    if (!found) throw new Error(`no check ${id} in the report`);
    return found;
  };
  return { report, check, calls: await standIns.calls() };
}

describe('doctor with the real runner on a PATH of stand-in tools', () => {
  it('like this project\'s machine: kubectl and go found with their versions, the docker CLI without an engine, no minikube', async () => {
    const { report, check, calls } = await doctorWith(CI_MACHINE);
    expect(check('kubectl').version).toBe('1.32.4-dispatcher');
    expect(check('kubectl').status).toBe('ok');
    expect(check('go')).toMatchObject({ status: 'ok', version: '1.26.8' });
    expect(check('docker')).toMatchObject({ status: 'fail', version: '28.2.2', detail: expect.stringContaining('the engine is not reachable via context default') });
    expect(check('docker').hint).not.toBeNull();
    expect(check('minikube')).toMatchObject({ status: 'fail', detail: 'minikube is not installed (not on PATH)' });
    expect(report.ok).toBe(false);
    // Each tool was asked exactly what its check asks.
    expect(calls.sort()).toEqual(['docker version --format {{json .}}', 'go version', 'kubectl version -o json --request-timeout=5s']);
  });

  it('like a developer\'s laptop: the engine and minikube found, Go missing but optional', async () => {
    const { check } = await doctorWith(LAPTOP);
    expect(check('docker')).toMatchObject({ status: 'ok', version: '28.0.4', detail: 'client 28.0.4, engine 28.0.4 (Docker Engine - Community) via context default' });
    expect(check('minikube')).toMatchObject({ status: 'ok', version: '1.37.0' });
    expect(check('go').status).not.toBe('fail');
  });

  it('skips the drivers whose tools are not installed, and runs no check meant for macOS or Windows', async () => {
    const { report, check } = await doctorWith(CI_MACHINE);
    expect(check('kvm2')).toMatchObject({ status: 'skip', detail: "libvirt's virsh is not installed (not on PATH); not needed for driver auto" });
    expect(check('qemu2')).toMatchObject({ status: 'skip', detail: 'qemu-system-x86_64 is not installed (not on PATH); not needed for driver auto' });
    expect(check('vmware')).toMatchObject({ status: 'skip', detail: 'vmrun is not installed (not on PATH); not needed for driver auto' });
    expect(check('podman').status).toBe('skip');
    expect(report.checks.map((c) => c.id)).not.toContain('vfkit');
    expect(report.checks.map((c) => c.id)).not.toContain('parallels');
    // The guide's twelve, and kvm2, qemu2, podman and vmware on Linux; none of them a bug.
    expect(report.checks).toHaveLength(16);
    expect(report.checks.filter((c) => c.detail.includes('this is a bug'))).toEqual([]);
  });
});
