import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOnTestenv } from 'testenv/vitest';
import { beforeAll, expect, it } from 'vitest';
import { readKubeconfigFile } from './kubeconfig-files.js';
import { connectCluster } from './kubeconfig.js';

/** The built package, as the CLI loads it (nx runs `build` before `test`). */
const BUILT_ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/**
 * A fresh Node process that connects with `kubeconfig` and lists namespaces through
 * the built @qed/kube, and reports every module it resolved from
 * @kubernetes/client-node. It watches with module.registerHooks, installed before
 * @qed/kube is imported: a resolve hook runs, in the same thread, for every import
 * and require (static or dynamic, ESM or CommonJS), and nothing is loaded without
 * first being resolved, so an empty list means client-node was never loaded. The
 * exec-plugin case below is the control: there the same hook does see it.
 */
function listNamespacesInFreshProcess(kubeconfig: string): { namespaces: string[]; clientNodeModules: string[]; clientNode: string | null } {
  const script = `
    import module from 'node:module';
    const clientNodeModules = [];
    module.registerHooks({
      resolve(specifier, context, next) {
        const resolved = next(specifier, context);
        if (resolved.url.includes('/@kubernetes/client-node/')) clientNodeModules.push(resolved.url);
        return resolved;
      },
    });
    const { connectCluster, loadKubeConfig } = await import(${JSON.stringify(BUILT_ENTRY)});
    const kubeconfig = ${JSON.stringify(kubeconfig)};
    const { clientNode } = await loadKubeConfig({ kubeconfig });
    const { api } = await connectCluster({ kubeconfig });
    const list = await api.request({ method: 'GET', path: '/api/v1/namespaces' });
    api.close();
    process.stdout.write(JSON.stringify({ namespaces: list.items.map((n) => n.metadata.name), clientNodeModules, clientNode: clientNode ?? null }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) throw new Error(`the child process failed (${child.status ?? child.signal}):\n${child.stderr}`);
  return JSON.parse(child.stdout);
}

describeOnTestenv('the kubeconfig, read without @kubernetes/client-node, against the real API server', (connection) => {
  let dir: string;
  let pem: { ca: string; cert: string; key: string };
  let server: string;

  beforeAll(async () => {
    if (!existsSync(BUILT_ENTRY)) throw new Error(`${BUILT_ENTRY} is not built: run \`npx tsc -b\` in packages/kube`);
    dir = await mkdtemp(path.join(os.tmpdir(), 'qed-kubeconfig-it-'));
    // The lease's kubeconfig carries the admin's client certificate as data.
    const lease = await readKubeconfigFile(connection.KUBECONFIG);
    const data = (entry: { fields: Record<string, unknown> } | undefined, field: string) => Buffer.from(String(entry?.fields[field]), 'base64').toString('utf8');
    server = String(lease?.clusters[0]?.fields.server);
    pem = {
      ca: data(lease?.clusters[0], 'certificate-authority-data'),
      cert: data(lease?.users[0], 'client-certificate-data'),
      key: data(lease?.users[0], 'client-key-data'),
    };
  });

  it("client certificates as data (the lease's kubeconfig): the namespaces are listed, and the process never loads client-node", () => {
    const result = listNamespacesInFreshProcess(connection.KUBECONFIG);
    expect(result.namespaces).toContain('default');
    expect(result.clientNode).toBeNull();
    expect(result.clientNodeModules).toEqual([]);
  });

  it('client certificates as files named relative to the kubeconfig: the namespaces are listed', async () => {
    await writeFile(path.join(dir, 'ca.crt'), pem.ca);
    await writeFile(path.join(dir, 'admin.crt'), pem.cert);
    await writeFile(path.join(dir, 'admin.key'), pem.key);
    const kubeconfig = path.join(dir, 'files.yaml');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [ { name: it, cluster: { server: '${server}', certificate-authority: ca.crt } } ]`,
        'users: [ { name: it, user: { client-certificate: admin.crt, client-key: admin.key } } ]',
        'contexts: [ { name: it, context: { cluster: it, user: it, namespace: kube-system } } ]',
        'current-context: it',
      ].join('\n'),
    );
    const { api, contextNamespace } = await connectCluster({ kubeconfig });
    try {
      expect(contextNamespace).toBe('kube-system');
      const list = await api.request<{ items: Array<{ metadata: { name: string } }> }>({ method: 'GET', path: '/api/v1/namespaces' });
      expect(list.items.map((n) => n.metadata.name)).toContain('kube-system');
    } finally {
      api.close();
    }
  });

  it('an exec plugin that hands over the client certificate: listed through client-node, which the hook then sees loaded', async () => {
    const plugin = path.join(dir, 'plugin.mjs');
    const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { clientCertificateData: pem.cert, clientKeyData: pem.key } };
    await writeFile(plugin, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`);
    const kubeconfig = path.join(dir, 'exec.yaml');
    const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' };
    await writeFile(
      kubeconfig,
      JSON.stringify({
        clusters: [{ name: 'it', cluster: { server, 'certificate-authority-data': Buffer.from(pem.ca).toString('base64') } }],
        users: [{ name: 'it', user: { exec } }],
        contexts: [{ name: 'it', context: { cluster: 'it', user: 'it' } }],
        'current-context': 'it',
      }),
    );
    const result = listNamespacesInFreshProcess(kubeconfig);
    expect(result.namespaces).toContain('default');
    expect(result.clientNode).toBe('user it gets its credential from an exec plugin');
    expect(result.clientNodeModules.length).toBeGreaterThan(0);
  });
});
