import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQedError, type QedError } from '../errors/qed-error.js';
import { loadConfig, parseConfig } from './load-config.js';
import { QED_SERVICES } from './qed-config.js';

const FILE = '/proj/qed.config.yaml';

function problemsOf(text: string) {
  try {
    parseConfig(text, FILE, '/home/dev');
  } catch (error) {
    expect(isQedError(error, 'CONFIG_INVALID')).toBe(true);
    return (error as QedError).data?.problems as Array<{ line: number; column: number; key: string; message: string }>;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('parseConfig', () => {
  it('fills every default from an empty file', () => {
    const config = parseConfig('', FILE, '/home/dev');
    expect(config.cluster).toEqual({ profile: 'minikube', driver: 'auto', cpus: 4, memoryMb: 8192, diskSizeMb: 40960 });
    expect(config.registry).toEqual({ host: '127.0.0.1:5000', name: 'registry' });
    expect(config.services).toEqual([...QED_SERVICES]);
    expect(config.images.map((i) => i.source)).toContain('mdillon/postgis:latest');
    expect(config.dataRoot).toBe('/home/dev/.qed/data');
    expect(config.namespace).toBe('qed');
  });

  it('lays user keys over defaults and resolves paths against the file', () => {
    const config = parseConfig(
      [
        'cluster:',
        '  driver: hyperv',
        '  hypervVirtualSwitch: QED Switch',
        'dataRoot: ./volumes',
        'images:',
        '  - name: qed-django',
        '    source: quanted/qed-django:latest',
        '    context: ../qed_django',
      ].join('\n'),
      FILE,
      '/home/dev',
    );
    expect(config.cluster).toMatchObject({ driver: 'hyperv', hypervVirtualSwitch: 'QED Switch', cpus: 4 });
    expect(config.dataRoot).toBe('/proj/volumes');
    expect(config.images).toEqual([{ name: 'qed-django', source: 'quanted/qed-django:latest', context: '/qed_django' }]);
  });

  it('names file, line and key of a wrong type', () => {
    expect(problemsOf('cluster:\n  profile: qed\n  cpus: many\n')).toEqual([
      { file: FILE, line: 3, column: 9, key: 'cluster.cpus', message: 'must be integer' },
    ]);
  });

  it('names an unknown key at the key itself', () => {
    expect(problemsOf('registry:\n  host: 127.0.0.1:5000\n  prot: 5001\n')).toEqual([
      { file: FILE, line: 3, column: 3, key: 'registry.prot', message: 'unknown key "prot"' },
    ]);
  });

  it('lists the allowed values of an enum and indexes array items', () => {
    const problems = problemsOf('cluster:\n  driver: vbox\nservices:\n  - django\n  - djangoo\n');
    expect(problems).toContainEqual(expect.objectContaining({ line: 2, key: 'cluster.driver', message: expect.stringContaining('virtualbox, hyperv') }));
    expect(problems).toContainEqual(expect.objectContaining({ line: 5, column: 5, key: 'services[1]' }));
  });

  it('takes a container runtime and minikube extra-config entries, and refuses malformed ones', () => {
    const config = parseConfig(
      'cluster:\n  containerRuntime: containerd\n  extraConfig:\n    - kubelet.fail-cgroupv1=false\n    - kubeadm.ignore-preflight-errors=SystemVerification\n',
      FILE,
      '/h',
    );
    expect(config.cluster).toMatchObject({
      containerRuntime: 'containerd',
      extraConfig: ['kubelet.fail-cgroupv1=false', 'kubeadm.ignore-preflight-errors=SystemVerification'],
      cpus: 4,
    });
    const problems = problemsOf('cluster:\n  containerRuntime: podman\n  extraConfig: [fail-cgroupv1=false, kubelet.x=1, kubelt.x=1, kubelet.noequals]\n');
    expect(problems.map((p) => p.key)).toEqual(['cluster.containerRuntime', 'cluster.extraConfig[0]', 'cluster.extraConfig[2]', 'cluster.extraConfig[3]']);
    expect(problems[0]?.message).toBe('must be one of: docker, containerd, cri-o');
    expect(problems[1]?.message).toContain('kubelet|kube-proxy');
  });

  it('reports a missing required key of an image', () => {
    expect(problemsOf('images:\n  - name: web\n')).toEqual([
      { file: FILE, line: 2, column: 5, key: 'images[0].source', message: 'missing required key "source"' },
    ]);
  });

  it('takes profile names as minikube does: dots and underscores yes, a trailing dash or a command name no', () => {
    expect(parseConfig('cluster:\n  profile: qed.dev_2\n', FILE, '/h').cluster.profile).toBe('qed.dev_2');
    expect(problemsOf('cluster:\n  profile: qed-\n')[0]).toMatchObject({ line: 2, key: 'cluster.profile' });
    expect(problemsOf('cluster:\n  profile: logs\n')[0]).toMatchObject({ line: 2, key: 'cluster.profile' });
  });

  it('rejects a profile name minikube would refuse', () => {
    expect(problemsOf('cluster:\n  profile: "-bad name"\n')[0]).toMatchObject({ line: 2, key: 'cluster.profile' });
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problemsOf('cluster:\n  cpus: 4\n memoryMb: 8192\n')).toEqual([
      { file: FILE, line: 3, column: 1, key: '(yaml)', message: 'All mapping items must start at the same column' },
    ]);
  });

  it('rejects duplicate keys', () => {
    expect(problemsOf('namespace: a\nnamespace: b\n')[0]).toMatchObject({ key: '(yaml)', line: 2 });
  });

  it('puts every problem in the message, one per line', () => {
    try {
      parseConfig('cluster:\n  cpus: 1\n  memoryMb: 10\n', FILE, '/h');
    } catch (error) {
      expect((error as Error).message).toBe(
        `2 problems in the config:\n  ${FILE}:2:9 cluster.cpus: must be >= 2\n  ${FILE}:3:13 cluster.memoryMb: must be >= 1800`,
      );
      return;
    }
    throw new Error('expected an error');
  });
});

describe('loadConfig', () => {
  it('uses defaults when no qed.config.yaml exists', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-config-'));
    const loaded = await loadConfig({ cwd: dir, homeDir: '/home/dev' });
    expect(loaded.file).toBeNull();
    expect(loaded.config.cluster.profile).toBe('minikube');
  });

  it('reads qed.config.yaml from the working directory', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-config-'));
    await writeFile(path.join(dir, 'qed.config.yaml'), 'cluster:\n  profile: qed-dev\n');
    const loaded = await loadConfig({ cwd: dir, homeDir: '/home/dev' });
    expect(loaded.file).toBe(path.join(dir, 'qed.config.yaml'));
    expect(loaded.config.cluster.profile).toBe('qed-dev');
  });

  it('fails with CONFIG_NOT_FOUND when --config names a missing file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-config-'));
    const error = await loadConfig({ cwd: dir, homeDir: '/h', configPath: 'other.yaml' }).catch((e: unknown) => e);
    expect(isQedError(error, 'CONFIG_NOT_FOUND')).toBe(true);
    expect((error as QedError).hint).toBe('Check the path given to --config.');
  });
});
