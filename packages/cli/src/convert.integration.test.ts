import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectCluster, type KubeApi } from '@qed/kube';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));
const CORPUS_FILE = fileURLToPath(new URL('../../../../shared/corpus/compose/qed-docker-compose-0e92ab0a.yml', import.meta.url));

describeOnTestenv('qed-bootstrap convert --apply (kompose up) against the real test cluster', (connection) => {
  const namespace = `qed-convert-it-${process.pid}`;
  let api: KubeApi;
  beforeAll(async () => {
    ({ api } = await connectCluster({ kubeconfig: connection.KUBECONFIG }));
  });
  afterAll(async () => {
    await api.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
    const volumes = await api.request<{ items: Array<{ metadata: { name: string } }> }>({ method: 'GET', path: '/api/v1/persistentvolumes' });
    for (const pv of volumes.items.filter((v) => v.metadata.name.startsWith(`${namespace}-`))) {
      await api.request({ method: 'DELETE', path: `/api/v1/persistentvolumes/${pv.metadata.name}` });
    }
  });

  const cli = (args: string[], cwd: string) => {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, KUBECONFIG: connection.KUBECONFIG, CI: 'true', HOSTNAME: 'dev-laptop' },
      encoding: 'utf8',
      timeout: 150_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('converts a real QED compose file, applies it with its volumes bound, waits until ready, and a re-run changes nothing', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-convert-apply-'));
    const args = ['convert', '-f', CORPUS_FILE, '--apply', '--wait', '--namespace', namespace, '--data-root', path.join(cwd, 'data'), '--json'];
    const first = cli(args, cwd);
    expect(first.stderr).toContain('is not translated');
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as { ok: boolean; applied: Array<{ kind: string; name: string; action: string }>; wait: { notReady: unknown[] } };
    expect(report.ok).toBe(true);
    expect(report.wait.notReady).toEqual([]);
    expect(report.applied.filter((a) => a.kind === 'Deployment').map((a) => a.name).sort()).toEqual(
      ['cts-nodejs', 'dask-scheduler', 'dask-worker', 'hms-dotnetcore', 'mongodb', 'qed-celery', 'qed-django', 'qed-flask', 'qed-nginx', 'redis', 'worker-cts', 'worker-manager'],
    );
    const claim = await api.request<{ status: { phase: string }; spec: { volumeName: string } }>({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims/collected-static`,
    });
    expect(claim.status.phase).toBe('Bound');
    expect(claim.spec.volumeName).toBe(`${namespace}-collected-static`);

    const second = cli(args, cwd);
    expect(second.code, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout) as { applied: Array<{ action: string }> };
    expect(new Set(again.applied.map((a) => a.action))).toEqual(new Set(['unchanged']));
  });

  it('--build local --push-image --push-image-registry builds a build-only service, pushes it to the registry, and the manifest names it there', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-convert-build-'));
    const service = `built-${process.pid}-${Date.now().toString(36)}`;
    await mkdir(path.join(cwd, 'app'));
    await writeFile(path.join(cwd, 'app', 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /\n');
    await writeFile(path.join(cwd, 'app', 'hello.txt'), 'hello\n');
    await writeFile(path.join(cwd, 'compose.yaml'), `services:\n  ${service}:\n    build: ./app\n`);
    const registry = connection.QED_TEST_REGISTRY;
    const result = spawnSync(process.execPath, [BIN, 'convert', '-o', 'k8s', '--build', 'local', '--push-image', '--push-image-registry', registry], {
      cwd,
      env: { ...process.env, DOCKER_HOST: connection.DOCKER_HOST, CI: 'true', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 150_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const tags = (await (await fetch(`http://${registry}/v2/${service}/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toContain('latest');
    expect(await readFile(path.join(cwd, 'k8s', `${service}-deployment.yml`), 'utf8')).toContain(`image: ${registry}/${service}:latest`);
    spawnSync('docker', ['rmi', '-f', `${registry}/${service}:latest`], { env: { ...process.env, DOCKER_HOST: connection.DOCKER_HOST } });
  });
});
