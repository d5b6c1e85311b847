import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConnectOptions, loadKubeConfig } from './kubeconfig.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * A folder holding `files` (relative name -> content, `{DIR}` standing for the
 * folder); the source whose KUBECONFIG lists `kubeconfigs` of them, in order.
 */
async function world(files: Record<string, string>, kubeconfigs: string[] = ['config']) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-kubeconfig-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content.replaceAll('{DIR}', dir));
  }
  const source = { env: { KUBECONFIG: kubeconfigs.map((k) => path.join(dir, k)).join(path.delimiter) }, homeDir: path.join(dir, 'home') };
  return { dir, source, load: (options: Omit<ConnectOptions, 'source'> = {}) => loadKubeConfig({ ...options, source }) };
}

/** One context `ctx` on cluster `c` as user `u`, with these fields for the cluster and the user. */
function kubeconfig(cluster: string, user: string, context = 'cluster: c, user: u'): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: { server: 'https://127.0.0.1:6443', ${cluster} }\nusers:\n- name: u\n  user: { ${user} }\ncontexts:\n- name: ctx\n  context: { ${context} }\ncurrent-context: ctx\n`;
}

const text = (value: unknown) => (Buffer.isBuffer(value) ? value.toString('utf8') : value);

describe('loadKubeConfig: the transport, worked out without client-node', () => {
  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    [
      'certificates as data',
      { config: kubeconfig(`certificate-authority-data: ${b64('the-ca')}`, `client-certificate-data: ${b64('the-cert')}, client-key-data: ${b64('the-key')}`) },
      { ca: 'the-ca', cert: 'the-cert', key: 'the-key' },
    ],
    [
      'certificates as files, relative to the kubeconfig that names them',
      {
        'kube/config': kubeconfig('certificate-authority: pki/ca.crt', 'client-certificate: ../certs/client.crt, client-key: {DIR}/key.pem'),
        'kube/pki/ca.crt': 'ca-from-file',
        'certs/client.crt': 'cert-from-file',
        'key.pem': 'key-from-file',
      },
      { ca: 'ca-from-file', cert: 'cert-from-file', key: 'key-from-file' },
    ],
    [
      'data over the file when both are given',
      { config: kubeconfig(`certificate-authority: no-such.crt, certificate-authority-data: ${b64('data-wins')}`, '') },
      { ca: 'data-wins' },
    ],
    ['a token', { config: kubeconfig('', 'token: abc.def') }, { headers: { Authorization: 'Bearer abc.def' } }],
    ['a token file (trimmed), over a token', { config: kubeconfig('', 'token: old, tokenFile: token'), token: 'from-file\n' }, { headers: { Authorization: 'Bearer from-file' } }],
    ['a user name and password', { config: kubeconfig('', 'username: admin, password: s3cret') }, { auth: 'admin:s3cret' }],
    [
      'verification turned off, another TLS server name, impersonation',
      { config: kubeconfig('insecure-skip-tls-verify: true, tls-server-name: kubernetes.default', 'token: t, as: jane') },
      { rejectUnauthorized: false, servername: 'kubernetes.default', headers: { Authorization: 'Bearer t', 'Impersonate-User': 'jane' } },
    ],
    ['a context that names no user: no credentials', { config: kubeconfig(`certificate-authority-data: ${b64('ca')}`, 'token: unused', 'cluster: c') }, { ca: 'ca' }],
  ])('%s', async (_name, files, expected) => {
    const w = await world(files, [Object.keys(files)[0] ?? 'config']);
    const loaded = await w.load();
    expect(loaded).toMatchObject({ context: 'ctx', server: 'https://127.0.0.1:6443', clientNode: undefined, contexts: ['ctx'] });
    const transport = await loaded.transport();
    expect(Object.fromEntries(Object.entries(transport).map(([key, value]) => [key, text(value)]))).toEqual({ server: 'https://127.0.0.1:6443', ...expected });
  });

  it('reads the token file and the certificate files again on every working-out', async () => {
    const w = await world({ config: kubeconfig('certificate-authority: ca.crt', 'tokenFile: token'), token: 'first', 'ca.crt': 'ca-1' });
    const loaded = await w.load();
    expect(await loaded.transport()).toMatchObject({ headers: { Authorization: 'Bearer first' }, ca: Buffer.from('ca-1') });
    await writeFile(path.join(w.dir, 'token'), 'second');
    await writeFile(path.join(w.dir, 'ca.crt'), 'ca-2');
    expect(await loaded.transport()).toMatchObject({ headers: { Authorization: 'Bearer second' }, ca: Buffer.from('ca-2') });
    await rm(path.join(w.dir, 'token'));
    await expect(loaded.transport()).rejects.toMatchObject({
      code: 'CLUSTER_KUBECONFIG',
      message: expect.stringContaining(`cannot read ${path.join(w.dir, 'token')}, the tokenFile of u in ${path.join(w.dir, 'config')}: `),
    });
  });

  it('merges KUBECONFIG as kubectl does: the first file to name an entry and the first current-context win', async () => {
    const first = 'users:\n- name: u\n  user: { token: from-first }\ncontexts:\n- name: first-ctx\n  context: { cluster: c, user: u, namespace: team-a }\n';
    const second = kubeconfig('', 'token: from-second', 'cluster: c, user: u, namespace: team-b');
    const w = await world({ first, second: second.replace('current-context: ctx', 'current-context: first-ctx') }, ['first', 'missing', 'second']);
    const loaded = await w.load();
    expect(loaded).toMatchObject({ contexts: ['first-ctx', 'ctx'], context: 'first-ctx', namespace: 'team-a', server: 'https://127.0.0.1:6443' });
    expect((await loaded.transport()).headers).toEqual({ Authorization: 'Bearer from-first' });
    expect(await w.load({ context: 'ctx' })).toMatchObject({ context: 'ctx', namespace: 'team-b' });
  });

  it('a server written as host:port is HTTPS, as kubectl takes it', async () => {
    const w = await world({ config: kubeconfig('', '').replace("'https://127.0.0.1:6443'", '10.0.0.1:6443') });
    expect((await w.load()).server).toBe('https://10.0.0.1:6443');
  });
});

describe('loadKubeConfig: what cannot be used', () => {
  const ok = kubeconfig('', 'token: t');
  it.each<[string, Record<string, string>, ConnectOptions & { kubeconfigs?: string[] }, Record<string, unknown>]>([
    ['a context that is not there', { config: ok }, { context: 'ctz' }, { code: 'CLUSTER_NO_CONTEXT', message: 'no context named ctz in the kubeconfig', hint: 'Known contexts: ctx.' }],
    [
      'no current context',
      { config: ok.replace('current-context: ctx\n', '') },
      {},
      { code: 'CLUSTER_NO_CONTEXT', message: expect.stringMatching(/^the kubeconfig has no current context \(/), hint: expect.stringContaining('--context NAME') },
    ],
    ['a current context that is not there', { config: ok.replace('current-context: ctx', 'current-context: gone') }, {}, { code: 'CLUSTER_NO_CONTEXT', message: expect.stringContaining('the current context gone is not in the kubeconfig') }],
    ['a context whose cluster is not there', { config: ok.replace('cluster: c, user: u', 'cluster: d, user: u') }, {}, { code: 'CLUSTER_KUBECONFIG', message: expect.stringContaining('context ctx names cluster d, which no kubeconfig file has') }],
    ['a context whose user is not there', { config: ok.replace('cluster: c, user: u', 'cluster: c, user: v') }, {}, { code: 'CLUSTER_KUBECONFIG', message: expect.stringContaining('context ctx names user v') }],
    ['a cluster with no server', { config: ok.replace("server: 'https://127.0.0.1:6443', ", '') }, {}, { code: 'CLUSTER_KUBECONFIG', message: expect.stringContaining('cluster c has no server') }],
    ['a token that is not a string', { config: kubeconfig('', 'token: 12345') }, {}, { code: 'CLUSTER_KUBECONFIG', message: expect.stringContaining('u: token is not a string') }],
    ['certificate data that is not base64', { config: kubeconfig('', 'client-certificate-data: not*base64') }, {}, { code: 'CLUSTER_KUBECONFIG', message: expect.stringContaining('u: client-certificate-data is not base64') }],
    [
      'broken YAML in the second file of KUBECONFIG',
      { config: ok, broken: 'users:\n- name: x\n  user: { token: [ }\n' },
      { kubeconfigs: ['config', 'broken'] },
      { code: 'CLUSTER_KUBECONFIG', message: expect.stringMatching(/^cannot read the kubeconfig .*broken: line 3, column \d+: /), data: expect.objectContaining({ line: 3 }) },
    ],
    ['no kubeconfig file at all', {}, { kubeconfigs: ['one', 'two'] }, { code: 'CLUSTER_KUBECONFIG', message: expect.stringMatching(/^no kubeconfig: .*one, .*two do not exist$/), hint: expect.stringContaining('cluster up') }],
  ])('%s', async (_name, files, options, error) => {
    const { kubeconfigs, ...connect } = options;
    const w = await world(files, kubeconfigs);
    await expect(w.load(connect)).rejects.toMatchObject(error);
  });

  it('a kubeconfig given by path must exist, and is the only one read', async () => {
    const w = await world({ config: kubeconfig('', 'token: from-env-file') });
    const missing = path.join(w.dir, 'nope');
    await expect(loadKubeConfig({ kubeconfig: missing, source: w.source })).rejects.toMatchObject({ code: 'CLUSTER_KUBECONFIG', message: `cannot read the kubeconfig ${missing}: it does not exist` });
    const given = path.join(w.dir, 'given');
    await writeFile(given, kubeconfig('', 'token: from-given').replaceAll('ctx', 'given-ctx'));
    expect(await loadKubeConfig({ kubeconfig: given, source: w.source })).toMatchObject({ contexts: ['given-ctx'] });
  });

  it('~/.kube/config when KUBECONFIG is unset', async () => {
    const w = await world({ 'home/.kube/config': kubeconfig('', 'token: t') });
    expect(await loadKubeConfig({ source: { env: {}, homeDir: path.join(w.dir, 'home') } })).toMatchObject({ context: 'ctx' });
  });
});

describe('loadKubeConfig: users only @kubernetes/client-node can serve', () => {
  it('an exec plugin goes to client-node, which runs it', async () => {
    const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-plugin' } };
    const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['{DIR}/plugin.mjs'], interactiveMode: 'Never' };
    const w = await world({
      config: kubeconfig('', `exec: ${JSON.stringify(exec)}`),
      'plugin.mjs': `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`,
    });
    const loaded = await w.load();
    expect(loaded.clientNode).toBe('user u gets its credential from an exec plugin');
    expect(await loaded.transport()).toMatchObject({ server: 'https://127.0.0.1:6443', headers: { Authorization: 'Bearer from-plugin' } });
  });

  it.each([
    ['an auth-provider', kubeconfig('', 'auth-provider: { name: oidc, config: {} }'), 'user u gets its credential from an auth-provider'],
    ['group impersonation', kubeconfig('', 'token: t, as: jane, as-groups: [devs]'), 'user u sets as-groups'],
    ['a proxy', kubeconfig('proxy-url: http://127.0.0.1:3128', 'token: t'), 'cluster c is reached through a proxy (proxy-url)'],
  ])('%s goes to client-node too', async (_name, config, reason) => {
    const w = await world({ config });
    expect((await w.load()).clientNode).toBe(reason);
  });
});
