import { compareVersions, MINIMUM_MINIKUBE_VERSION, versionConstant } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { applyClusterPlan } from './apply-cluster.js';
import { chooseDriver } from './choose-driver.js';
import { type ClusterFacts, type ClusterSettings, type DoctorFinding, type ExistingCluster, absentCluster } from './cluster-facts.js';
import { type ClusterOptions, MINIKUBE_WRITES_CONTAINERD_HOSTS, diffSettings, insecureRegistries, planCluster } from './cluster-plan.js';
import { minikubeRegistryHosting, nodeRegistryHost } from './node-registry.js';
import { startFailure } from './start-failure.js';

const ok = (id: string): DoctorFinding => ({ id, status: 'ok', version: null });
const fail = (id: string, detail: string): DoctorFinding => ({ id, status: 'fail', version: null, detail });

const options: ClusterOptions = {
  profile: 'qed',
  driver: 'auto',
  cpus: 4,
  memoryMb: 8192,
  diskSizeMb: 40_960,
  registryHost: '127.0.0.1:5000',
  dataRoot: '/home/me/.qed/data',
};

const facts = (over: Partial<ClusterFacts> = {}): ClusterFacts => ({
  os: 'linux',
  arch: 'x64',
  minikubeVersion: '1.34.0',
  doctor: [ok('virtualbox'), ok('docker'), ok('virtualization')],
  hypervSwitches: null,
  cluster: absentCluster(),
  ...over,
});

describe('chooseDriver', () => {
  it.each([
    ['macos', [ok('virtualbox'), ok('docker')], 'virtualbox'],
    ['linux', [fail('virtualbox', 'VBoxManage is not installed'), ok('docker')], 'docker'],
    ['linux', [ok('virtualbox'), ok('docker'), fail('virtualization', 'no /dev/kvm')], 'docker'],
    ['windows', [ok('hyperv'), ok('virtualbox'), ok('docker')], 'hyperv'],
    ['windows', [{ ...ok('hyperv'), status: 'skip' as const }, ok('virtualbox')], 'virtualbox'],
    ['windows', [ok('docker')], 'docker'],
    ['wsl', [ok('virtualbox'), ok('docker')], 'docker'],
  ] as const)('on %s with %j picks %s', (os, doctor, driver) => {
    expect(chooseDriver({ os, requested: 'auto', doctor, hypervSwitches: null }).driver).toBe(driver);
  });

  it('explains a fallback, naming what was passed over', () => {
    const choice = chooseDriver({
      os: 'macos',
      requested: 'auto',
      doctor: [fail('virtualbox', 'VBoxManage is not installed'), ok('docker')],
      hypervSwitches: null,
    });
    expect(choice.reason).toBe(
      'no hypervisor is usable here, and the docker driver runs the node as a container; not virtualbox (VBoxManage is not installed)',
    );
  });

  it.each([
    ['virtualbox', [fail('virtualbox', 'VBoxManage is not installed')], 'DRIVER_NOT_AVAILABLE'],
    ['kvm2', [fail('virtualization', 'no /dev/kvm and no vmx/svm flag')], 'VIRTUALIZATION_DISABLED'],
  ] as const)('refuses an asked-for driver %s the doctor failed', (requested, doctor, code) => {
    expect(() => chooseDriver({ os: 'linux', requested, doctor, hypervSwitches: null })).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('accepts a Hyper-V switch whatever its case, and refuses when none is usable at all', () => {
    expect(
      chooseDriver({ os: 'windows', requested: 'hyperv', doctor: [], hypervVirtualSwitch: 'external lan', hypervSwitches: ['External LAN'] })
        .source,
    ).toBe('option');
    expect(() => chooseDriver({ os: 'linux', requested: 'auto', doctor: [], hypervSwitches: null })).toThrow(
      expect.objectContaining({ code: 'NO_DRIVER_AVAILABLE' }),
    );
  });
});

const settings: ClusterSettings = {
  driver: 'virtualbox',
  cpus: 4,
  memoryMb: 8192,
  diskSizeMb: 40_960,
  kubernetesVersion: 'v1.34.0',
  containerRuntime: 'docker',
  insecureRegistries: ['127.0.0.1:5000', 'host.minikube.internal:5000'],
  mount: true,
  mountString: '/home/me/.qed/data:/home/me/.qed/data',
  hypervVirtualSwitch: null,
};

describe('diffSettings', () => {
  it.each([
    [{}, {}, []],
    [{ driver: 'docker' }, {}, ['driver']],
    [{ cpus: 2, memoryMb: 4096 }, {}, ['cpus', 'memory']],
    [{ diskSizeMb: 20_000 }, {}, ['disk-size']],
    [{ diskSizeMb: 20_000, driver: 'docker' }, { driver: 'docker' }, []],
    [{ kubernetesVersion: 'v1.31.0' }, {}, ['kubernetes-version']],
    [{ kubernetesVersion: 'v1.31.0' }, { kubernetesVersion: null }, []],
    [{ insecureRegistries: ['127.0.0.1:5000'] }, {}, ['insecure-registry']],
    [{ insecureRegistries: [...settings.insecureRegistries, '10.0.0.0/24'] }, {}, []],
    [{ mount: false, mountString: null }, {}, ['mount']],
    [{ containerRuntime: 'docker' }, { containerRuntime: 'containerd' }, ['container-runtime']],
    // No VM to size: none, docker and podman never differ in cpus, memory or disk.
    [{ driver: 'virtualbox', cpus: 2, memoryMb: 4096, diskSizeMb: 20_000 }, { driver: 'virtualbox' }, ['cpus', 'memory', 'disk-size']],
    [{ driver: 'none', cpus: 2, memoryMb: 4096, diskSizeMb: 20_000 }, { driver: 'none' }, []],
    [{ driver: 'docker', cpus: 2, memoryMb: 4096, diskSizeMb: 20_000 }, { driver: 'docker' }, []],
    [{ driver: 'podman', cpus: 2, memoryMb: 4096, diskSizeMb: 20_000 }, { driver: 'podman' }, []],
    // none uses the data root in place, whatever an older profile recorded; docker still mounts it.
    [{ driver: 'none' }, { driver: 'none', mount: false, mountString: null }, []],
    [{ driver: 'docker', mount: false, mountString: null }, { driver: 'docker' }, ['mount']],
  ] as const)('current %j, wanted %j -> %j', (current, wanted, expected) => {
    const found = diffSettings({ ...settings, ...current } as ClusterSettings, { ...settings, ...wanted } as ClusterSettings);
    expect(found.map((d) => d.setting)).toEqual(expected);
  });
});

describe('planCluster', () => {
  it.each([
    ['absent', absentCluster(), 'create', false],
    ['running, same', { state: 'running', statusExitCode: 0, nodes: [], settings }, 'none', false],
    ['stopped, same', { state: 'stopped', statusExitCode: 7, nodes: [], settings }, 'start', false],
    ['degraded, same', { state: 'degraded', statusExitCode: 6, nodes: [], settings }, 'start', false],
    ['running, other memory', { state: 'running', statusExitCode: 0, nodes: [], settings: { ...settings, memoryMb: 4096 } }, 'recreate', true],
    ['stopped, other driver', { state: 'stopped', statusExitCode: 7, nodes: [], settings: { ...settings, driver: 'hyperv' } }, 'start', false],
    ['invalid', { state: 'invalid', statusExitCode: null, nodes: [], settings: null }, 'recreate', true],
  ] as const)('%s -> %s', (_name, cluster, action, needsConsent) => {
    const plan = planCluster(facts({ cluster: { ...cluster, nodes: [] } }), {
      ...options,
      kubernetesVersion: 'v1.34.0',
    });
    expect([plan.action, plan.needsConsent]).toEqual([action, needsConsent]);
  });

  it('an explicit other driver on an existing cluster is a recreate; auto keeps the existing one', () => {
    const cluster = { state: 'running' as const, statusExitCode: 0, nodes: [], settings };
    const auto = planCluster(facts({ cluster, doctor: [ok('docker')] }), { ...options, kubernetesVersion: 'v1.34.0' });
    expect(auto.action).toBe('none');
    expect(auto.driver.reason).toBe('the existing cluster uses driver virtualbox');
    const explicit = planCluster(facts({ cluster }), { ...options, driver: 'docker', kubernetesVersion: 'v1.34.0' });
    expect(explicit.differences).toEqual([
      { setting: 'driver', current: 'virtualbox', wanted: 'docker', note: 'a cluster cannot move to another driver' },
    ]);
  });

  it('driver none with a profile other than "minikube" is refused before minikube is run, with the fix', () => {
    expect(() => planCluster(facts(), { ...options, driver: 'none', profile: 'qed' })).toThrow(
      expect.objectContaining({ code: 'DRIVER_NONE_PROFILE', hint: expect.stringContaining('cluster.profile to minikube') }),
    );
    expect(planCluster(facts(), { ...options, driver: 'none', profile: 'minikube' }).action).toBe('create');
  });

  it('refuses bad profile names before anything else', () => {
    for (const profile of ['-qed', 'qed_', 'my profile', 'start', '']) {
      expect(() => planCluster(facts(), { ...options, profile })).toThrow(expect.objectContaining({ code: 'INVALID_PROFILE_NAME' }));
    }
  });

  it('with containerd, start is the only step: minikube writes the hosts.toml of each insecure registry itself', () => {
    const plan = planCluster(facts(), { ...options, containerRuntime: 'containerd' });
    expect(plan.steps.map((s) => s.args.slice(0, 1))).toEqual([['start']]);
    expect(plan.steps[0]?.args).toEqual(expect.arrayContaining(['--container-runtime', 'containerd']));
    expect(plan.notes.join('\n')).not.toContain('minikube ssh');
  });

  it('every minikube release accepted writes containerd hosts.toml itself (else the ssh step must come back)', () => {
    expect(compareVersions(versionConstant(MINIMUM_MINIKUBE_VERSION), versionConstant(MINIKUBE_WRITES_CONTAINERD_HOSTS))).toBeGreaterThanOrEqual(0);
  });

  const running = (over: Partial<ClusterSettings>): ExistingCluster => ({
    state: 'running',
    statusExitCode: 0,
    nodes: [],
    settings: { ...settings, ...over },
  });

  it.each([
    ['none', 'none'],
    ['docker', 'docker'],
    ['podman', 'podman'],
    ['virtualbox', 'recreate'],
  ] as const)('a %s cluster with other CPUs, memory and disk: %s', (driver, expected) => {
    const cluster = running({ driver, cpus: 2, memoryMb: 4096, diskSizeMb: 20_000, mount: driver !== 'none', insecureRegistries: insecureRegistries(driver, '127.0.0.1:5000') });
    // The none driver has one profile only, "minikube".
    const profile = driver === 'none' ? 'minikube' : options.profile;
    const plan = planCluster(facts({ cluster, doctor: [ok(driver), ok('virtualization')] }), { ...options, profile, driver, kubernetesVersion: 'v1.34.0' });
    expect(plan.action === 'recreate' ? 'recreate' : driver).toBe(expected);
    expect(plan.needsConsent).toBe(expected === 'recreate');
  });

  it('a docker cluster of another size is kept, and the plan says how to resize it', () => {
    const cluster = running({ driver: 'docker', cpus: 2, memoryMb: 4096, insecureRegistries: ['host.minikube.internal:5000'] });
    const plan = planCluster(facts({ cluster }), { ...options, driver: 'docker', kubernetesVersion: 'v1.34.0' });
    expect(plan.action).toBe('none');
    expect(plan.notes).toContain(
      'Profile qed keeps the 2 CPUs and 4096MB it was created with (asked: 4 CPUs, 8192MB): the docker driver cannot resize its node container. To apply the new size, `qed-bootstrap cluster delete` then `cluster up` (the node\'s workloads are lost).',
    );
  });

  it('a none cluster made by an older qed-bootstrap (mounted, both registry names) needs nothing', () => {
    const plan = planCluster(facts({ cluster: running({ driver: 'none', cpus: 8, memoryMb: 31_000 }) }), {
      ...options,
      profile: 'minikube',
      driver: 'none',
      kubernetesVersion: 'v1.34.0',
    });
    expect([plan.action, plan.differences]).toEqual(['none', []]);
    expect(plan.notes[1]).toBe(
      "With driver none the node is this machine: the data root /home/me/.qed/data is used in place (nothing is mounted), and the cluster has this machine's own CPUs, memory and disk (cluster.cpus, memoryMb and diskSizeMb do not apply).",
    );
  });

  it('a stopped profile starts with its saved settings plus the extra-config entries, which minikube takes on an existing profile', () => {
    const stopped: ExistingCluster = { state: 'degraded', statusExitCode: 6, nodes: [], settings: { ...settings, driver: 'none' } };
    const plan = planCluster(facts({ cluster: stopped }), { ...options, profile: 'minikube', extraConfig: ['kubelet.fail-cgroupv1=false'], kubernetesVersion: 'v1.34.0' });
    expect(plan.action).toBe('start');
    expect(plan.steps[0]?.args).toEqual(['start', '-p', 'minikube', '--extra-config', 'kubelet.fail-cgroupv1=false']);
  });
});

describe('how the node reaches the local registry', () => {
  it.each([
    ['none', '127.0.0.1:5000'],
    ['docker', 'host.minikube.internal:5000'],
    ['podman', 'host.minikube.internal:5000'],
    ['virtualbox', 'host.minikube.internal:5000'],
    ['hyperv', 'host.minikube.internal:5000'],
  ])('%s pulls from %s, the only insecure registry it is told about', (driver, inNode) => {
    expect(nodeRegistryHost(driver, '127.0.0.1:5000')).toBe(inNode);
    expect(insecureRegistries(driver, '127.0.0.1:5000')).toEqual([inNode]);
  });

  it('local-registry-hosting claims no pod-network address on none', () => {
    expect(minikubeRegistryHosting('none', '127.0.0.1:5001')).toEqual({ hostFromContainerRuntime: '127.0.0.1:5001' });
    expect(minikubeRegistryHosting('virtualbox', '127.0.0.1:5001')).toEqual({
      hostFromContainerRuntime: 'host.minikube.internal:5001',
      hostFromClusterNetwork: 'host.minikube.internal:5001',
    });
  });
});

describe('minikube start argv per driver (fake runner)', () => {
  const cases = [
    {
      name: 'virtualbox on macOS',
      f: facts({ os: 'macos' }),
      o: options,
      argv: 'start -p qed --driver virtualbox --cpus 4 --memory 8192mb --disk-size 40960mb --insecure-registry host.minikube.internal:5000 --mount --mount-string /home/me/.qed/data:/home/me/.qed/data',
    },
    {
      name: 'hyperv with a switch on Windows',
      f: facts({ os: 'windows', doctor: [ok('hyperv')], hypervSwitches: ['QED'] }),
      o: { ...options, hypervVirtualSwitch: 'QED', dataRoot: 'C:\\Users\\me\\qed', kubernetesVersion: '1.33.2' },
      argv: 'start -p qed --driver hyperv --hyperv-virtual-switch QED --cpus 4 --memory 8192mb --disk-size 40960mb --kubernetes-version v1.33.2 --insecure-registry host.minikube.internal:5000 --mount --mount-string C:\\Users\\me\\qed:/c/Users/me/qed',
    },
    {
      name: 'docker where no hypervisor is usable',
      f: facts({ doctor: [ok('docker'), fail('virtualization', 'no /dev/kvm')] }),
      o: { ...options, registryHost: 'localhost:5001' },
      argv: 'start -p qed --driver docker --cpus 4 --memory 8192mb --insecure-registry host.minikube.internal:5001 --mount --mount-string /home/me/.qed/data:/home/me/.qed/data',
    },
    {
      name: 'podman with containerd',
      f: facts({ doctor: [ok('podman')] }),
      o: { ...options, driver: 'podman' as const, containerRuntime: 'containerd' as const },
      argv: 'start -p qed --driver podman --cpus 4 --memory 8192mb --container-runtime containerd --insecure-registry host.minikube.internal:5000 --mount --mount-string /home/me/.qed/data:/home/me/.qed/data',
    },
    {
      name: 'none with containerd on a cgroup v1 host: no sizing, no mount, the registry on 127.0.0.1',
      f: facts({ doctor: [ok('docker')] }),
      o: {
        ...options,
        profile: 'minikube',
        driver: 'none' as const,
        containerRuntime: 'containerd' as const,
        kubernetesVersion: 'v1.35.0',
        extraConfig: ['kubelet.fail-cgroupv1=false', 'kubeadm.ignore-preflight-errors=SystemVerification'],
      },
      argv: 'start -p minikube --driver none --kubernetes-version v1.35.0 --container-runtime containerd --extra-config kubelet.fail-cgroupv1=false --extra-config kubeadm.ignore-preflight-errors=SystemVerification --insecure-registry 127.0.0.1:5000',
    },
  ];
  it.each(cases)('$name', async ({ f, o, argv }) => {
    const runner = new FakeCommandRunner()
      .on('minikube', undefined, { stdout: `* Done! kubectl is now configured to use "${o.profile}" cluster\n` })
      .on('kubectl', ['config', 'current-context'], { stdout: `${o.profile}\n` });
    const result = await applyClusterPlan(planCluster(f, o), { runner });
    expect(runner.commandLines).toEqual([`minikube ${argv}`, 'kubectl config current-context']);
    expect(result.contextSwitched).toBe(false);
  });

  it('kubectl not installed: the context is left to minikube and reported as unknown', async () => {
    const runner = new FakeCommandRunner()
      .on('minikube', undefined, { stdout: '' })
      .on('kubectl', undefined, { notInstalled: true });
    expect((await applyClusterPlan(planCluster(facts(), options), { runner })).context).toBeNull();
  });

  it.each([
    [{ exitCode: 52, stdout: 'X Exiting due to DRV_NOT_HEALTHY: Found driver(s) but none were healthy.\n' }, 'DRIVER_NOT_AVAILABLE'],
    [{ exitCode: 38, stdout: 'X Exiting due to HOST_VIRT_UNAVAILABLE: Failed to start host: VT-x is disabled\n' }, 'VIRTUALIZATION_DISABLED'],
    [{ exitCode: 23 }, 'NOT_ENOUGH_MEMORY'],
    [{ exitCode: 90, stderr: 'X Exiting due to K8S_APISERVER_MISSING: wait 6m0s for node\n' }, 'MINIKUBE_START_FAILED'],
    [
      {
        exitCode: 109,
        stderr:
          'E0305 kubelet: "command failed" err="failed to validate kubelet configuration, error: kubelet is configured to not run on a host using cgroup v1. cgroup v1 support is unsupported and will be removed in a future release"\nX Exiting due to K8S_KUBELET_NOT_RUNNING: wait: /bin/bash -c "sudo env PATH=... kubeadm init": Process exited with status 1\n',
      },
      'KUBELET_CGROUP_V1',
    ],
    [
      {
        exitCode: 80,
        stdout:
          '\t[ERROR SystemVerification]: cgroups v1 support is deprecated and will be removed in a future release. Please migrate to cgroups v2.\nX Exiting due to GUEST_START: failed to start node: wait: kubeadm init: Process exited with status 1\n',
      },
      'KUBELET_CGROUP_V1',
    ],
    [
      {
        exitCode: 90,
        stdout:
          '\t[WARNING SystemVerification]: cgroups v1 support is deprecated and will be removed in a future release.\nX Exiting due to K8S_APISERVER_MISSING: wait 6m0s for node\n',
      },
      'MINIKUBE_START_FAILED',
    ],
  ])('a failed start %j becomes %s', async (answer, code) => {
    const runner = new FakeCommandRunner().on('minikube', undefined, answer);
    await expect(applyClusterPlan(planCluster(facts(), options), { runner })).rejects.toMatchObject({ code });
  });

  it('a kubelet that refuses cgroup v1 gets the extra-config that allows it as the fix', () => {
    const error = startFailure({
      command: 'minikube',
      args: ['start', '-p', 'qed'],
      exitCode: 109,
      signal: null,
      stdout: '',
      stderr: 'kubelet is configured to not run on a host using cgroup v1. cgroup v1 support is unsupported\nX Exiting due to K8S_KUBELET_NOT_RUNNING: …\n',
      durationMs: 0,
    });
    expect(error.message).toBe(
      'minikube could not start the cluster: this host uses cgroup v1, which the kubelet of Kubernetes 1.35 and later refuses by default (K8S_KUBELET_NOT_RUNNING)',
    );
    expect(error.hint).toContain('`cluster.extraConfig: [kubelet.fail-cgroupv1=false]`');
    expect(error.hint).toContain('cgroup v2');
  });
});
