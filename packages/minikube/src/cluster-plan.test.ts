import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import { applyClusterPlan } from './apply-cluster.js';
import { chooseDriver } from './choose-driver.js';
import { type ClusterFacts, type ClusterSettings, type DoctorFinding, absentCluster } from './cluster-facts.js';
import { type ClusterOptions, diffSettings, planCluster } from './cluster-plan.js';

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

  it('refuses bad profile names before anything else', () => {
    for (const profile of ['-qed', 'qed_', 'my profile', 'start', '']) {
      expect(() => planCluster(facts(), { ...options, profile })).toThrow(expect.objectContaining({ code: 'INVALID_PROFILE_NAME' }));
    }
  });

  it('with containerd, plans a minikube ssh that writes hosts.toml for both registry names', () => {
    const plan = planCluster(facts(), { ...options, containerRuntime: 'containerd' });
    const ssh = plan.steps[1];
    expect(ssh?.args.slice(0, 4)).toEqual(['ssh', '-p', 'qed', '--']);
    expect(ssh?.args[4]).toContain('/etc/containerd/certs.d/host.minikube.internal:5000/hosts.toml');
    expect(ssh?.args[4]).toContain('server = "http://127.0.0.1:5000"');
    expect(ssh?.args[4]).toMatch(/sudo systemctl restart containerd$/);
    expect(plan.notes).toContain(
      'With the containerd runtime, --insecure-registry alone does not let the node pull over plain HTTP: each registry needs a hosts.toml under /etc/containerd/certs.d/<host:port>/ pointing at http://<host:port>. qed-bootstrap writes it with `minikube ssh` after start and restarts containerd.',
    );
  });
});

describe('minikube start argv per driver (fake runner)', () => {
  const cases = [
    {
      name: 'virtualbox on macOS',
      f: facts({ os: 'macos' }),
      o: options,
      argv: 'start -p qed --driver virtualbox --cpus 4 --memory 8192mb --disk-size 40960mb --insecure-registry 127.0.0.1:5000 --insecure-registry host.minikube.internal:5000 --mount --mount-string /home/me/.qed/data:/home/me/.qed/data',
    },
    {
      name: 'hyperv with a switch on Windows',
      f: facts({ os: 'windows', doctor: [ok('hyperv')], hypervSwitches: ['QED'] }),
      o: { ...options, hypervVirtualSwitch: 'QED', dataRoot: 'C:\\Users\\me\\qed', kubernetesVersion: '1.33.2' },
      argv: 'start -p qed --driver hyperv --hyperv-virtual-switch QED --cpus 4 --memory 8192mb --disk-size 40960mb --kubernetes-version v1.33.2 --insecure-registry 127.0.0.1:5000 --insecure-registry host.minikube.internal:5000 --mount --mount-string C:\\Users\\me\\qed:/c/Users/me/qed',
    },
    {
      name: 'docker where no hypervisor is usable',
      f: facts({ doctor: [ok('docker'), fail('virtualization', 'no /dev/kvm')] }),
      o: { ...options, registryHost: 'localhost:5001' },
      argv: 'start -p qed --driver docker --cpus 4 --memory 8192mb --insecure-registry localhost:5001 --insecure-registry host.minikube.internal:5001 --mount --mount-string /home/me/.qed/data:/home/me/.qed/data',
    },
  ];
  it.each(cases)('$name', async ({ f, o, argv }) => {
    const runner = new FakeCommandRunner()
      .on('minikube', undefined, { stdout: '* Done! kubectl is now configured to use "qed" cluster\n' })
      .on('kubectl', ['config', 'current-context'], { stdout: 'qed\n' });
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
  ])('a failed start %j becomes %s', async (answer, code) => {
    const runner = new FakeCommandRunner().on('minikube', undefined, answer);
    await expect(applyClusterPlan(planCluster(facts(), options), { runner })).rejects.toMatchObject({ code });
  });
});
