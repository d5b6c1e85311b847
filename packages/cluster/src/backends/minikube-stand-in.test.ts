import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type OperatingSystem, type PlatformFacts, ProcessRunner, isQedError } from '@qed/core';
import type { CheckResult } from '@qed/env-check';
import type { ApplyClusterResult, ClusterOptions, ClusterPlan, ClusterStatusRecord } from '@qed/minikube';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClusterBackend } from '../cluster-backend.js';
import { minikubeBackend } from './minikube.js';

/** The minikube package's stand-in CLI, which answers from the outputs recorded beside it. */
const STAND_IN = fileURLToPath(new URL('../../../minikube/src/__fixtures__/stand-in-minikube.mjs', import.meta.url));

interface StandInState {
  version: string;
  profiles: Record<string, { status: string; config: Record<string, unknown> }>;
  context: string | null;
  calls: string[];
  failStart?: { exitCode: number; stdout?: string; stderr?: string };
}

const found = (id: string, version: string | null, facts?: CheckResult['facts']): CheckResult => ({
  id,
  title: id,
  status: 'ok',
  version,
  required: null,
  detail: '',
  hint: null,
  ...(facts ? { facts } : {}),
});
const doctor: CheckResult[] = [found('virtualbox', '7.1.4'), found('docker', '28.0.1'), found('virtualization', null)];
const machine = (os: OperatingSystem): PlatformFacts => ({ os, arch: 'x64', cpuCount: 8, totalMemoryBytes: 32e9, freeDiskBytes: 2e11, diskPath: '/', homeDir: '/home/me' });

const options: ClusterOptions = {
  profile: 'qed',
  driver: 'auto',
  cpus: 4,
  memoryMb: 8192,
  diskSizeMb: 40_960,
  kubernetesVersion: 'v1.34.0',
  registryHost: '127.0.0.1:5000',
  dataRoot: '/home/me/.qed/data',
};

describe('the minikube backend\'s lifecycle of VM drivers with a stand-in minikube CLI answering in recorded v1.38.1 outputs (no VM can run here; the none driver runs for real in cluster.minikube.test.ts)', () => {
  let dir: string;
  let stateFile: string;
  let runner: ProcessRunner;

  const writeState = (state: Partial<StandInState>) =>
    writeFile(stateFile, JSON.stringify({ version: 'v1.34.0', profiles: {}, context: null, calls: [], ...state }));
  const readState = async (): Promise<StandInState> => JSON.parse(await readFile(stateFile, 'utf8'));
  /** The calls that change something (the reads are not interesting for the transition). */
  const changes = async () =>
    (await readState()).calls.filter((c) => /^minikube (start|stop|delete|ssh)|use-context/.test(c));
  const backend = (opts: Partial<ClusterOptions> = {}, checks = doctor, os: OperatingSystem = 'linux'): ClusterBackend =>
    minikubeBackend(
      { runner, platform: async () => machine(os), doctor: async () => ({ ok: true, checks }), cluster: () => Promise.reject(new Error('no API server here')) },
      { ...options, ...opts },
    );
  /** `cluster up` as the CLI and the pipeline run it: plan, then apply that plan. */
  const up = async (opts: Partial<ClusterOptions> = {}, consent = false) => {
    const minikube = backend(opts);
    const planned = await minikube.planUp();
    const applied = await minikube.applyUp(planned, { consent });
    return { plan: planned.record as ClusterPlan, result: applied.record as ApplyClusterResult };
  };
  const qed = () => backend();
  const status = async () => (await qed().status()).record as ClusterStatusRecord;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'qed-minikube-stand-in-'));
    // Linked, not copied: the stand-in finds the recorded outputs beside its real path.
    for (const name of ['minikube', 'kubectl']) await symlink(STAND_IN, path.join(dir, name));
    stateFile = path.join(dir, 'state.json');
    await writeState({});
    runner = new ProcessRunner({
      env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`, STAND_IN_STATE: stateFile },
    });
  });

  it('absent -> up creates the profile with driver, resources, the registry as the node reaches it and the data mount', async () => {
    const { plan, result } = await up();
    expect(plan.action).toBe('create');
    expect(plan.notes[0]).toBe('Driver virtualbox: VirtualBox is installed (the setup guide uses VirtualBox).');
    expect(await changes()).toEqual([
      'minikube start -p qed --driver virtualbox --cpus 4 --memory 8192mb --disk-size 40960mb --kubernetes-version v1.34.0 --insecure-registry host.minikube.internal:5000 --mount --mount-string /home/me/.qed/data:/home/me/.qed/data',
    ]);
    expect(result).toMatchObject({ action: 'create', context: 'qed', contextSwitched: false });
    expect(await status()).toEqual({
      profile: 'qed',
      state: 'running',
      host: 'Running',
      kubelet: 'Running',
      apiServer: 'Running',
      kubeconfig: 'Configured',
      nodes: [{ name: 'qed', host: 'Running', kubelet: 'Running', apiServer: 'Running', kubeconfig: 'Configured', worker: false }],
      driver: 'virtualbox',
      kubernetesVersion: 'v1.34.0',
      containerRuntime: 'docker',
      ip: '192.168.59.100',
    });
  });

  it('up again on a running cluster with the same settings does nothing, and puts the context back', async () => {
    await up();
    const state = await readState();
    await writeFile(stateFile, JSON.stringify({ ...state, context: 'other', calls: [] }));
    const { plan, result } = await up();
    expect(plan.action).toBe('none');
    expect(plan.steps).toEqual([]);
    expect(await changes()).toEqual(['kubectl config use-context qed']);
    expect(result.contextSwitched).toBe(true);
  });

  it('stopped -> up starts it with its saved settings', async () => {
    await up();
    expect((await qed().stop()).changed).toBe(true);
    expect((await status()).state).toBe('stopped');
    expect((await qed().stop()).message).toBe('Profile qed is already stopped.');
    const { plan } = await up();
    expect(plan.action).toBe('start');
    expect((await changes()).slice(-1)).toEqual(['minikube start -p qed']);
    expect((await status()).state).toBe('running');
  });

  it('different settings -> recreate: refused without consent, delete + start with consent', async () => {
    await up();
    const before = (await changes()).length;
    const refused = await up({ memoryMb: 12_288, cpus: 6 }).catch((e: unknown) => e);
    expect(isQedError(refused, 'CONSENT_REQUIRED')).toBe(true);
    expect((refused as Error).message).toBe(
      'Deleting and creating profile qed again (cpus 4 -> 6; memory 8192MB -> 12288MB) was not confirmed, so nothing was changed',
    );
    expect((await changes()).length).toBe(before);

    const { plan } = await up({ memoryMb: 12_288, cpus: 6 }, true);
    expect(plan.action).toBe('recreate');
    expect((await changes()).slice(before)).toEqual([
      'minikube delete -p qed',
      'minikube start -p qed --driver virtualbox --cpus 6 --memory 12288mb --disk-size 40960mb --kubernetes-version v1.34.0 --insecure-registry host.minikube.internal:5000 --mount --mount-string /home/me/.qed/data:/home/me/.qed/data',
    ]);
    expect((await readState()).profiles.qed?.config.Memory).toBe(12_288);
  });

  it('a cluster created without the registry and the mount needs a recreate, and the plan says why', async () => {
    await writeState({
      profiles: {
        qed: {
          status: 'Running',
          config: {
            Driver: 'virtualbox', CPUs: 4, Memory: 8192, DiskSize: 40_960, InsecureRegistry: null, Mount: false, MountString: '',
            KubernetesConfig: { KubernetesVersion: 'v1.34.0', ContainerRuntime: 'docker' },
          },
        },
      },
      context: 'qed',
    });
    await expect(up()).rejects.toThrow(/insecure-registry .*mount/);
    const facts = await up({}, true);
    expect(facts.plan.differences.map((d) => d.setting)).toEqual(['insecure-registry', 'mount']);
    expect(facts.plan.differences[0]?.note).toMatch(/only when it creates the cluster/);
  });

  it('driver none: created without sizing or mount, and up again keeps it though minikube recorded other CPUs and memory', async () => {
    // The none driver has one profile only, "minikube".
    const { plan } = await up({ profile: 'minikube', driver: 'none', containerRuntime: 'containerd' });
    expect(plan.action).toBe('create');
    expect(await changes()).toEqual([
      'minikube start -p minikube --driver none --kubernetes-version v1.34.0 --container-runtime containerd --insecure-registry 127.0.0.1:5000',
    ]);
    const recorded = (await readState()).profiles.minikube?.config;
    expect([recorded?.CPUs, recorded?.Memory, recorded?.Mount]).toEqual([2, 2200, false]);
    const again = await up({ profile: 'minikube', driver: 'none', containerRuntime: 'containerd', cpus: 8, memoryMb: 16_384 });
    expect([again.plan.action, again.plan.differences]).toEqual(['none', []]);
    expect((await changes()).filter((c) => c.startsWith('minikube'))).toHaveLength(1);
  });

  it('delete is refused without consent and done with it', async () => {
    await up();
    await expect(qed().delete({ consent: false })).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect((await readState()).profiles.qed).toBeDefined();
    expect((await qed().delete({ consent: true })).changed).toBe(true);
    expect((await status()).state).toBe('absent');
    expect((await qed().delete({ consent: false })).message).toBe('Profile qed does not exist; nothing to delete.');
  });

  it('minikube missing: up and status say to install it', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'qed-no-minikube-'));
    runner = new ProcessRunner({ env: { PATH: empty } });
    await expect(up()).rejects.toMatchObject({ code: 'MINIKUBE_MISSING', hint: expect.stringContaining('>= 1.33.0') });
    await expect(qed().status()).rejects.toMatchObject({ code: 'MINIKUBE_MISSING' });
  });

  it('too old and known-bad minikube releases are refused before anything changes', async () => {
    await writeState({ version: 'v1.32.0' });
    await expect(up()).rejects.toMatchObject({ code: 'MINIKUBE_TOO_OLD' });
    await writeState({ version: 'v1.26.0' });
    await expect(up()).rejects.toThrow(/minikube 1\.26\.0 is refused: .*issues\/14480/);
    expect(await changes()).toEqual([]);
  });

  it('a missing Hyper-V switch is refused, listing the switches the doctor found', async () => {
    const hyperv = backend(
      { driver: 'hyperv', hypervVirtualSwitch: 'QED Switch', dataRoot: 'C:\\Users\\me\\qed' },
      [found('hyperv', null, { hypervSwitches: ['Default Switch', 'External LAN'] })],
      'windows',
    );
    const error = await hyperv.planUp().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'HYPERV_SWITCH_MISSING',
      message: 'Hyper-V virtual switch "QED Switch" does not exist; the switches are: "Default Switch", "External LAN"',
    });
    expect(await changes()).toEqual([]);
  });

  it('not enough memory: minikube start exit 23 becomes NOT_ENOUGH_MEMORY with a hint', async () => {
    await writeState({
      failStart: {
        exitCode: 23,
        stdout: 'X Exiting due to RSRC_INSUFFICIENT_SYS_MEMORY: System only has 7821MiB available, less than the requested 8192MiB for Kubernetes\n',
      },
    });
    await expect(up()).rejects.toMatchObject({ code: 'NOT_ENOUGH_MEMORY', hint: expect.stringContaining('--memory') });
  });
});
