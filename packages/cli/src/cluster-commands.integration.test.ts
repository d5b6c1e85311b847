import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOnTestenv } from 'testenv/vitest';
import { expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));

describeOnTestenv('qed-bootstrap apply, status and down against the real test cluster', (connection) => {
  const namespace = `qed-cli-it-${process.pid}`;
  const cli = (args: string[], cwd: string) => {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, KUBECONFIG: connection.KUBECONFIG, CI: 'true' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const l = '{ app.kubernetes.io/name: web, app.kubernetes.io/part-of: qed }';

  it('applies with --wait --json, reports status, refuses --purge without consent, and goes down', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-cli-cluster-'));
    const dir = path.join(cwd, 'm');
    await mkdir(dir);
    await writeFile(
      path.join(dir, 'web.yaml'),
      `apiVersion: v1
kind: Namespace
metadata: { name: ${namespace} }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: ${l}, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: ${l} }
  template:
    metadata: { labels: ${l} }
    spec: { containers: [{ name: web, image: quanted/qed_nginx:latest }] }
`,
    );
    const applied = cli(['apply', '--dir', dir, '--namespace', namespace, '--wait', '--timeout', '60', '--json'], cwd);
    expect(applied.code, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout);
    expect(result.ok).toBe(true);
    expect(result.applied.map((a: { kind: string; action: string }) => `${a.kind}:${a.action}`)).toEqual(['Namespace:created', 'Service:created', 'Deployment:created']);

    const again = cli(['apply', '--dir', dir, '--namespace', namespace], cwd);
    expect(again.stdout).toContain('3 unchanged');

    const status = cli(['status', '--namespace', namespace, '--no-color'], cwd);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/deployment\/web\s+2\/2 available\s+quanted\/qed_nginx:latest/);
    expect(status.stdout).toContain(`kubectl port-forward -n ${namespace} svc/web 8080:80`);

    const refused = cli(['down', '--namespace', namespace, '--purge'], cwd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('with their persistent data (--purge) was not confirmed, so nothing was changed');
    expect(cli(['status', '--namespace', namespace, '--json'], cwd).stdout).toContain('"name": "web"');

    const down = cli(['down', '--namespace', namespace, '--purge', '--yes'], cwd);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`Removed 3 objects from namespace ${namespace}.`);
  });

  it('manifests validate names file, object and field, checked by the server too', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-cli-validate-'));
    await writeFile(
      path.join(cwd, 'bad.yaml'),
      `apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  ports: [{ port: 80, protocl: TCP }]\n`,
    );
    const result = cli(['manifests', 'validate', 'bad.yaml', '--namespace', namespace], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml:5:1 Service .*web spec\.ports\[0\]\.protocl: unknown field/);
    expect(result.stdout).toContain("checked against the Kubernetes schema and by the server's dry run on qed-testenv");
  });

  it('registry up runs the registry and tells a minikube cluster where it is, and no other; down --purge removes it', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-cli-registry-'));
    const port = await freePortInInsecureRange();
    const name = `registry-cli-it-${process.pid}`;
    const env = { DOCKER_HOST: connection.DOCKER_HOST };
    const run = (args: string[], kubeconfig = connection.KUBECONFIG) => {
      const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env, KUBECONFIG: kubeconfig, CI: 'true' }, encoding: 'utf8', timeout: 120_000 });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const up = run(['registry', 'up', '--port', String(port), '--name', name, '--json']);
    expect(up.code, up.stderr).toBe(0);
    const result = JSON.parse(up.stdout);
    expect(result).toMatchObject({ name, host: `127.0.0.1:${port}` });
    // The test cluster's context was not made by minikube: minikube's host alias is not published to it.
    expect(result.localRegistryHosting).toBe(
      `Not published to context qed-testenv: qed-bootstrap knows how a minikube node reaches this machine, and context qed-testenv was not made by minikube: the cluster reaches its registry its own way.`,
    );
    expect((await fetch(`http://127.0.0.1:${port}/v2/`)).status).toBe(200);
    // The same cluster under a context that carries minikube's mark (as \`minikube start\` writes it): published, as a minikube node reaches this machine.
    const again = run(['registry', 'up', '--port', String(port), '--name', name, '--json'], await markedByMinikube(connection.KUBECONFIG, cwd));
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).localRegistryHosting).toBe(`Published kube-public/local-registry-hosting on qed-testenv: the cluster pulls from host.minikube.internal:${port}.`);
    const down = run(['registry', 'down', '--port', String(port), '--name', name, '--purge', '--yes']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`Registry ${name} removed, with its data.`);
  });
});

/** A copy of the kubeconfig whose contexts carry the extension minikube writes on the contexts it makes. */
async function markedByMinikube(kubeconfig: string, dir: string): Promise<string> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(await readFile(kubeconfig, 'utf8'));
  const contexts = doc.get('contexts') as { items: Array<{ setIn(path: string[], value: unknown): void }> };
  for (const context of contexts.items) {
    context.setIn(['context', 'extensions'], [{ name: 'context_info', extension: { provider: 'minikube.sigs.k8s.io', version: 'v1.38.1' } }]);
  }
  const file = path.join(dir, 'kubeconfig-made-by-minikube');
  await writeFile(file, doc.toString());
  return file;
}

/** The engine here treats ports 5000-5099 of 127.0.0.1 as plain-HTTP registries. */
async function freePortInInsecureRange(): Promise<number> {
  const net = await import('node:net');
  for (let port = 5000 + (process.pid % 50); port < 5100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 5000-5099');
}
