import { type ClusterConfig, defaultQedConfig, type PlatformFacts } from '@qed/core';
import { type CheckContext, type CheckResult, defaultChecks, type DoctorReport, runDoctor } from '@qed/env-check';
import { clusterOptionsFrom } from '@qed/minikube';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { replayMinikube } from '../__fixtures__/recorded-minikube.js';
import type { BackendDeps, UpPlan } from '../cluster-backend.js';
import { minikubeBackend } from './minikube.js';

const linux: PlatformFacts = { os: 'linux', arch: 'x64', cpuCount: 4, totalMemoryBytes: 16e9, freeDiskBytes: 1e11, diskPath: '/', homeDir: '/home/me' };
const windows: PlatformFacts = { ...linux, os: 'windows', homeDir: 'C:\\Users\\me' };

/** The lane's cluster as recorded: profile minikube, driver none, containerd, Kubernetes v1.35.1, registry 127.0.0.1:5050. */
const laneCluster: Partial<ClusterConfig> = { profile: 'minikube', driver: 'none', containerRuntime: 'containerd', kubernetesVersion: 'v1.35.1' };

function world(cluster: Partial<ClusterConfig>, options: { platform?: PlatformFacts; doctor?: CheckResult[]; registryHost?: string } = {}) {
  const config = defaultQedConfig('/home/me');
  const runner = new FakeCommandRunner();
  let doctorRuns = 0;
  const deps: BackendDeps = {
    runner,
    platform: async () => options.platform ?? linux,
    doctor: async () => {
      doctorRuns++;
      return { ok: true, checks: options.doctor ?? [] };
    },
    cluster: () => Promise.reject(new Error('no cluster in unit tests')),
  };
  const backend = minikubeBackend(deps, clusterOptionsFrom({ ...config, registry: { ...config.registry, host: options.registryHost ?? '127.0.0.1:5050' } }, cluster));
  return { backend, runner, doctorRuns: () => doctorRuns };
}

describe('the minikube backend, on outputs recorded from the real minikube v1.38.1', () => {
  it('plans once from minikube state and the doctor: the running lane cluster needs nothing', async () => {
    const { backend, runner, doctorRuns } = world(laneCluster);
    replayMinikube(runner, 'version', 'profile-list-running', 'status-running');
    const plan = await backend.planUp();
    expect(await backend.planUp()).toBe(plan);
    expect(runner.commandLines).toEqual(['minikube version -o json', 'minikube profile list -o json', 'minikube status -p minikube -o json']);
    expect(doctorRuns()).toBe(1);
    expect(plan).toMatchObject({ kind: 'minikube', action: 'none', summary: 'minikube profile minikube runs with the wanted settings: nothing to do', steps: [], needsConsent: false });
    expect(plan.notes[0]).toMatch(/^Driver none: driver none was asked for/);
    expect(plan.record).toMatchObject({ profile: 'minikube', action: 'none', differences: [] });
  });

  it('applies: nothing to run, the context checked', async () => {
    const { backend, runner } = world(laneCluster);
    replayMinikube(runner, 'version', 'profile-list-running', 'status-running');
    runner.on('kubectl', ['config', 'current-context'], { stdout: 'minikube\n' });
    const steps: string[] = [];
    const result = await backend.applyUp(await backend.planUp(), { consent: false, onStep: (why) => steps.push(why) });
    expect(result).toMatchObject({ action: 'none', context: 'minikube', detail: 'minikube already runs with the wanted settings; nothing to do (context minikube)' });
    expect(steps).toEqual([]);
    expect(runner.commandLines.at(-1)).toBe('kubectl config current-context');
  });

  it('a paused cluster is unpaused, with the step and minikube\'s last line of output passed on', async () => {
    const { backend, runner } = world(laneCluster);
    replayMinikube(runner, 'version', 'profile-list-running', 'status-paused', 'unpause');
    runner.on('kubectl', ['config', 'current-context'], { stdout: 'minikube\n' });
    const plan = await backend.planUp();
    expect([plan.summary, plan.steps]).toEqual(['start minikube profile minikube', ['minikube unpause -p minikube    # unpause the paused profile minikube']]);
    const seen: string[] = [];
    const result = await backend.applyUp(plan, { consent: false, onStep: (why) => seen.push(`step: ${why}`), onOutput: (line) => seen.push(`output: ${line}`) });
    expect(seen[0]).toBe('step: unpause the paused profile minikube');
    expect(seen.slice(1).every((l) => l.startsWith('output: '))).toBe(true);
    expect(result.detail).toBe('minikube: start done; kubectl context minikube');
  });

  it('the node pulls from where its driver reaches this machine: 127.0.0.1 on none, the host alias in a VM', async () => {
    const none = world(laneCluster);
    replayMinikube(none.runner, 'version', 'profile-list-running', 'status-running');
    expect(await none.backend.registryHosting('127.0.0.1:5050')).toEqual({ hosting: { hostFromContainerRuntime: '127.0.0.1:5050' } });

    const vm = world({ profile: 'qed', driver: 'virtualbox' }, { doctor: [{ id: 'virtualbox', title: 'VirtualBox', status: 'ok', version: '7.1.4', required: null, detail: '', hint: null }] });
    replayMinikube(vm.runner, 'version', 'profile-list-none');
    vm.runner.on('minikube', ['status', '-p', 'qed', '-o', 'json'], { exitCode: 85, stdout: '* Profile "qed" not found.\n' });
    expect(await vm.backend.registryHosting('127.0.0.1:5050')).toEqual({
      hosting: { hostFromContainerRuntime: 'host.minikube.internal:5050', hostFromClusterNetwork: 'host.minikube.internal:5050' },
    });
    expect((await vm.backend.planUp()).steps[0]).toContain('--insecure-registry host.minikube.internal:5050');
  });

  it('reaches a NodePort or LoadBalancer Service with minikube service, anything else by the caller\'s port-forward', () => {
    const { backend } = world(laneCluster);
    expect(backend.serviceAccess({ namespace: 'qed', name: 'qed-nginx', type: 'LoadBalancer' })).toEqual(['minikube service -p minikube -n qed qed-nginx --url']);
    expect(backend.serviceAccess({ namespace: 'qed', name: 'redis', type: 'ClusterIP' })).toBeNull();
  });

  it('status, stop and delete go to minikube', async () => {
    const { backend, runner } = world(laneCluster);
    replayMinikube(runner, 'profile-list-running', 'status-running', 'ip-running', 'stop');
    const status = await backend.status();
    expect(status).toMatchObject({ running: true, summary: 'minikube: running (none, Kubernetes v1.35.1), 192.0.2.2', record: { profile: 'minikube', state: 'running', ip: '192.0.2.2' } });
    expect(await backend.stop()).toEqual({
      changed: true,
      message: 'Stopped profile minikube; `qed-bootstrap cluster up` starts it again.',
      record: { profile: 'minikube', changed: true, message: 'Stopped profile minikube; `qed-bootstrap cluster up` starts it again.' },
    });
    await expect(backend.delete({ consent: false })).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect(runner.commandLines.filter((c) => c.startsWith('minikube delete'))).toEqual([]);
  });

  it('needs every doctor check, and says what to do instead when one fails', () => {
    const { backend } = world(laneCluster);
    expect(backend.doctorChecks(defaultChecks).map((c) => c.id)).toEqual(defaultChecks.map((c) => c.id));
    expect(backend.doctorHint).toContain('--target context:NAME needs no minikube');
  });

  it('refuses a plan it did not make', async () => {
    const { backend } = world(laneCluster);
    const foreign: UpPlan = { kind: 'existing-context', action: 'check', summary: '', notes: [], steps: [], needsConsent: false, record: null };
    await expect(backend.applyUp(foreign, { consent: true })).rejects.toThrow(/a plan it did not make/);
  });
});

describe('the Hyper-V switches the doctor listed reach the driver choice', () => {
  /** Windows PowerShell's answers: Hyper-V enabled, two switches (ConvertTo-Json of several is an array). */
  const powershell = (runner: FakeCommandRunner) =>
    runner
      .on('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', '(Get-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-All).State'], { stdout: 'Enabled\r\n' })
      .on('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', 'Get-VMSwitch | Select-Object Name, SwitchType | ConvertTo-Json'], {
        stdout: '[\r\n    {\r\n        "Name":  "Default Switch",\r\n        "SwitchType":  1\r\n    },\r\n    {\r\n        "Name":  "External LAN",\r\n        "SwitchType":  2\r\n    }\r\n]\r\n',
      });

  it('a switch asked for on the command line that Hyper-V does not have is refused before minikube runs, naming the ones it has', async () => {
    const runner = powershell(new FakeCommandRunner());
    // The doctor runs with qed.config.yaml (switch "Default Switch": there, so ok); the flag asks for another.
    const config = defaultQedConfig('C:\\Users\\me\\qed');
    const ctx: CheckContext = {
      runner,
      platform: windows,
      config: { ...config, cluster: { ...config.cluster, driver: 'hyperv', hypervVirtualSwitch: 'Default Switch' } },
      env: {},
      probePort: async () => 'free',
      pathExists: async () => false,
      canReadWrite: async () => false,
      readTextFile: async () => null,
    };
    const report: DoctorReport = await runDoctor(ctx, defaultChecks.filter((c) => c.id === 'hyperv'));
    expect(report.checks[0]).toMatchObject({ status: 'ok', facts: { hypervSwitches: ['Default Switch', 'External LAN'] } });

    replayMinikube(runner, 'version', 'profile-list-none');
    runner.on('minikube', ['status', '-p', 'qed', '-o', 'json'], { exitCode: 85, stdout: '* Profile "qed" not found.\n' });
    const backend = minikubeBackend(
      { runner, platform: async () => windows, doctor: async () => report, cluster: () => Promise.reject(new Error('no cluster')) },
      clusterOptionsFrom(ctx.config, { profile: 'qed', driver: 'hyperv', hypervVirtualSwitch: 'QED Switch' }),
    );
    await expect(backend.planUp()).rejects.toMatchObject({
      code: 'HYPERV_SWITCH_MISSING',
      message: 'Hyper-V virtual switch "QED Switch" does not exist; the switches are: "Default Switch", "External LAN"',
    });
    expect(runner.commandLines.filter((c) => c.startsWith('minikube start'))).toEqual([]);
  });

  it('switches the doctor could not list are not checked (minikube says it itself)', async () => {
    const runner = replayMinikube(new FakeCommandRunner(), 'version', 'profile-list-none');
    runner.on('minikube', ['status', '-p', 'qed', '-o', 'json'], { exitCode: 85, stdout: '* Profile "qed" not found.\n' });
    const hyperv: CheckResult = { id: 'hyperv', title: 'Hyper-V', status: 'warn', version: null, required: null, detail: 'the virtual switches could not be listed', hint: null };
    const backend = minikubeBackend(
      { runner, platform: async () => windows, doctor: async () => ({ ok: true, checks: [hyperv] }), cluster: () => Promise.reject(new Error('no cluster')) },
      clusterOptionsFrom(defaultQedConfig('C:\\Users\\me\\qed'), { profile: 'qed', driver: 'hyperv', hypervVirtualSwitch: 'QED Switch' }),
    );
    expect((await backend.planUp()).steps[0]).toContain("--hyperv-virtual-switch 'QED Switch'");
  });
});
