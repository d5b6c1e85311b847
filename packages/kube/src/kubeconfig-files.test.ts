import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigFiles, mergeKubeconfigs, parseKubeconfig, readKubeconfigFile } from './kubeconfig-files.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'qed-kubeconfig-files-'));
}

/** A kubeconfig whose every entry is named `name`, with `extra` lines after it. */
const single = (name: string, server: string, extra = '') =>
  `clusters:\n- name: ${name}\n  cluster: { server: '${server}' }\nusers:\n- name: ${name}\n  user: { token: ${name}-token }\ncontexts:\n- name: ${name}\n  context: { cluster: ${name}, user: ${name} }\n${extra}`;

describe('kubeconfigFiles', () => {
  it("is KUBECONFIG's list in its order, empty entries left out, else ~/.kube/config", () => {
    expect(kubeconfigFiles({ env: { KUBECONFIG: '/a/one::/b/two' }, homeDir: '/home/me' }, ':')).toEqual(['/a/one', '/b/two']);
    expect(kubeconfigFiles({ env: { KUBECONFIG: 'C:\\k\\one;C:\\k\\two' }, homeDir: 'C:\\Users\\me' }, ';')).toEqual(['C:\\k\\one', 'C:\\k\\two']);
    expect(kubeconfigFiles({ env: {}, homeDir: '/home/me' })).toEqual([path.join('/home/me', '.kube', 'config')]);
    expect(kubeconfigFiles({ env: { KUBECONFIG: '' }, homeDir: '/home/me' })).toEqual([path.join('/home/me', '.kube', 'config')]);
    expect(kubeconfigFiles({ env: { KUBECONFIG: ':' }, homeDir: '/home/me' }, ':')).toEqual([path.join('/home/me', '.kube', 'config')]);
  });
});

describe('mergeKubeconfigs', () => {
  it('the first file to name a cluster, user or context wins, whole; the first current-context wins; missing files are passed over', () => {
    const a = parseKubeconfig(single('shared', 'https://a.example:6443', 'current-context: shared\n'), '/k/a');
    const b = parseKubeconfig(
      `${single('shared', 'https://b.example:6443')}- name: only-b\n  context: { cluster: shared, namespace: team }\ncurrent-context: only-b\n`,
      '/k/b',
    );
    const none = parseKubeconfig(single('late', 'https://c.example:6443'), '/k/c');
    const merged = mergeKubeconfigs([null, none, a, b]);
    expect(merged.files).toEqual(['/k/c', '/k/a', '/k/b']);
    expect([...merged.contexts.keys()]).toEqual(['late', 'shared', 'only-b']);
    expect(merged.clusters.get('shared')).toEqual({ name: 'shared', file: '/k/a', fields: { server: 'https://a.example:6443' } });
    expect(merged.users.get('shared')?.file).toBe('/k/a');
    expect(merged.contexts.get('only-b')).toEqual({ name: 'only-b', file: '/k/b', fields: { cluster: 'shared', namespace: 'team' } });
    // c sets none, so a's is the first.
    expect(merged.currentContext).toBe('shared');
    expect(mergeKubeconfigs([b, a]).currentContext).toBe('only-b');
    expect(mergeKubeconfigs([]).currentContext).toBeUndefined();
  });
});

describe('parseKubeconfig', () => {
  it('makes the file paths absolute against the file that names them, and leaves data, absolute paths and bare plugin names as they are', () => {
    const config = parseKubeconfig(
      [
        'clusters:',
        '- name: c',
        '  cluster: { server: "https://x:6443", certificate-authority: pki/ca.crt, certificate-authority-data: QUJD }',
        'users:',
        '- name: files',
        '  user: { client-certificate: ../certs/client.crt, client-key: /abs/client.key, tokenFile: token }',
        '- name: plugin',
        '  user: { exec: { command: ./bin/auth, args: [x] } }',
        '- name: on-path',
        '  user: { exec: { command: gke-gcloud-auth-plugin } }',
      ].join('\n'),
      '/home/me/.kube/config',
    );
    expect(config.clusters[0]?.fields).toEqual({ server: 'https://x:6443', 'certificate-authority': '/home/me/.kube/pki/ca.crt', 'certificate-authority-data': 'QUJD' });
    expect(config.users.map((u) => u.fields)).toEqual([
      { 'client-certificate': '/home/me/certs/client.crt', 'client-key': '/abs/client.key', tokenFile: '/home/me/.kube/token' },
      { exec: { command: '/home/me/.kube/bin/auth', args: ['x'] } },
      { exec: { command: 'gke-gcloud-auth-plugin' } },
    ]);
  });

  it('reads YAML 1.1 as kubectl does, JSON too, and an empty file as an empty kubeconfig', () => {
    expect(parseKubeconfig('clusters:\n- name: c\n  cluster: { server: "https://x", insecure-skip-tls-verify: yes }\n', 'f').clusters[0]?.fields).toEqual({
      server: 'https://x',
      'insecure-skip-tls-verify': true,
    });
    expect(parseKubeconfig('{"contexts":[{"name":"j","context":{"cluster":"c"}}],"current-context":"j"}', 'f')).toMatchObject({ currentContext: 'j', contexts: [{ name: 'j' }] });
    expect(parseKubeconfig('', 'f')).toEqual({ file: 'f', clusters: [], users: [], contexts: [], currentContext: undefined });
  });

  it.each([
    ['broken YAML, by file, line and column', 'clusters:\n- name: c\n  cluster: { server: x\nusers: []\n', /^cannot read the kubeconfig \/k\/config: line \d, column \d+: /],
    ['a tab where YAML wants spaces', 'clusters:\n\t- name: c\n', /^cannot read the kubeconfig \/k\/config: line 2, column 1: /],
    ['not a mapping', '- a\n- b\n', 'cannot read the kubeconfig /k/config: it is not a YAML mapping (clusters, users, contexts)'],
    ['a list that is not one', 'users: { name: u }\n', 'cannot read the kubeconfig /k/config: users is not a list'],
    ['an entry that is not a mapping', 'contexts: [ x ]\n', 'cannot read the kubeconfig /k/config: contexts[0] is not a mapping'],
    ['an entry whose body is not a mapping', 'users:\n- name: u\n  user: token\n', 'cannot read the kubeconfig /k/config: users[0] (u): user is not a mapping'],
    ['a name given twice in one file', 'clusters:\n- name: c\n- name: c\n', 'cannot read the kubeconfig /k/config: clusters names c twice'],
    [
      'aliases that would expand without end',
      `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill('*a').join(', ')}]\nc: &c [${Array(10).fill('*b').join(', ')}]\nd: [${Array(10).fill('*c').join(', ')}]\n`,
      /^cannot read the kubeconfig \/k\/config: Excessive alias count/,
    ],
  ])('%s is CLUSTER_KUBECONFIG naming the file', (_name, text, message) => {
    let error: unknown;
    try {
      parseKubeconfig(text, '/k/config');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'CLUSTER_KUBECONFIG', message: typeof message === 'string' ? message : expect.stringMatching(message), hint: expect.stringContaining('Fix /k/config') });
  });

  it('says the line of broken YAML in its data too', () => {
    expect(() => parseKubeconfig('users:\n- name: u\n  user: [\n', '/k/config')).toThrow(
      expect.objectContaining({ data: expect.objectContaining({ file: '/k/config', line: expect.any(Number) }) }),
    );
  });
});

describe('readKubeconfigFile', () => {
  it('is null for a file that does not exist; CLUSTER_KUBECONFIG for one that cannot be read', async () => {
    const dir = await tempDir();
    expect(await readKubeconfigFile(path.join(dir, 'missing'))).toBeNull();
    await mkdir(path.join(dir, 'a-folder'));
    await expect(readKubeconfigFile(path.join(dir, 'a-folder'))).rejects.toMatchObject({
      code: 'CLUSTER_KUBECONFIG',
      message: expect.stringContaining(`cannot read the kubeconfig ${path.join(dir, 'a-folder')}: `),
    });
    const file = path.join(dir, 'config');
    await writeFile(file, single('c', 'https://x'));
    expect((await readKubeconfigFile(file))?.contexts.map((c) => c.name)).toEqual(['c']);
  });
});
