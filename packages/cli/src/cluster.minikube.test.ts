import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOnMinikubeLane, laneClusterConfig } from 'testenv/vitest';
import { afterAll, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));

/**
 * `qed-bootstrap cluster` against a real minikube (driver none, containerd): the
 * lane's cluster is the product's cluster. The suite ends with it running as the
 * lane made it, since later suites use it.
 */
describeOnMinikubeLane('qed-bootstrap cluster on a real minikube (driver none, containerd)', (lane) => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const laneConfig = (registry = lane.QED_TEST_MINIKUBE_REGISTRY) =>
    [
      ...laneClusterConfig(lane),
      'registry:',
      `  host: ${registry}`,
      'dataRoot: ./data',
      '',
    ].join('\n');
  const project = async (config: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-mk-cluster-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'qed.config.yaml'), config);
    return dir;
  };
  const env = { ...process.env, ...lane, CI: 'true', NO_COLOR: '1' };
  const cli = (cwd: string, args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: 600_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const minikube = (args: string[]) => spawnSync('minikube', [...args, '-p', lane.QED_TEST_MINIKUBE_PROFILE], { env, encoding: 'utf8', timeout: 600_000 });
  const status = (cwd: string) => {
    const run = cli(cwd, ['cluster', 'status', '--json']);
    return { code: run.code, record: JSON.parse(run.stdout) as Record<string, unknown>, stderr: run.stderr };
  };

  it('status --json says what minikube itself says of the running lane cluster', async () => {
    const cwd = await project(laneConfig());
    const ours = status(cwd);
    expect(ours.code, ours.stderr).toBe(0);
    const theirs = minikube(['status', '-o', 'json']);
    expect(theirs.status).toBe(0);
    const own = JSON.parse(theirs.stdout) as { Host: string; Kubelet: string; APIServer: string; Kubeconfig: string };
    expect(ours.record).toMatchObject({
      profile: lane.QED_TEST_MINIKUBE_PROFILE,
      state: 'running',
      host: own.Host,
      kubelet: own.Kubelet,
      apiServer: own.APIServer,
      kubeconfig: own.Kubeconfig,
      driver: 'none',
      containerRuntime: 'containerd',
      kubernetesVersion: lane.QED_TEST_MINIKUBE_KUBERNETES_VERSION,
    });
    expect(ours.record.ip).toBe(minikube(['ip']).stdout.trim());
  });

  it('up on the running cluster with the same settings has nothing to do: no recreate over CPUs, memory or disk, no --mount', async () => {
    // The config's default CPUs (4), memory (8 GiB) and disk differ from what a none-driver profile records.
    const cwd = await project(laneConfig());
    const dry = cli(cwd, ['cluster', 'up', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { action: string; differences: unknown[]; steps: unknown[]; notes: string[] };
    expect(plan).toMatchObject({ action: 'none', differences: [], steps: [] });
    const up = cli(cwd, ['cluster', 'up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('nothing to do');
  });

  it('a changed registry port on the existing cluster is reported as create-time only and is not recreated without consent', async () => {
    const [host, port] = lane.QED_TEST_MINIKUBE_REGISTRY.split(':');
    const cwd = await project(laneConfig(`${host}:${Number(port) + 1}`));
    const dry = cli(cwd, ['cluster', 'up', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { action: string; needsConsent: boolean; differences: Array<{ setting: string; note: string }> };
    expect(plan.action).toBe('recreate');
    expect(plan.needsConsent).toBe(true);
    expect(plan.differences).toEqual([expect.objectContaining({ setting: 'insecure-registry', note: expect.stringContaining('only when it creates the cluster') })]);
    // CI=true with no --yes is no consent: refused, and the cluster is untouched.
    const refused = cli(cwd, ['cluster', 'up']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Deleting and creating profile');
    expect(refused.stderr).toContain('was not confirmed, so nothing was changed');
    expect(minikube(['status', '-o', 'json']).status).toBe(0);
  });

  it('stop, then up starts it again', async () => {
    const cwd = await project(laneConfig());
    const stop = cli(cwd, ['cluster', 'stop']);
    expect(stop.code, stop.stderr).toBe(0);
    const stopped = status(cwd);
    expect(stopped.record.state).toBe('stopped');
    // minikube's own view: exit 7 (host, kubelet and API server stopped).
    expect(minikube(['status', '-o', 'json']).status).toBe(7);
    const up = cli(cwd, ['cluster', 'up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ action: 'start' });
    expect(status(cwd).record.state).toBe('running');
  });

  it('delete (with consent) leaves no profile; up on nothing creates it and the node is Ready', async () => {
    const cwd = await project(laneConfig());
    const refused = cli(cwd, ['cluster', 'delete']);
    expect(refused.code).not.toBe(0);
    const deleted = cli(cwd, ['--yes', 'cluster', 'delete']);
    expect(deleted.code, deleted.stderr).toBe(0);
    const profiles = spawnSync('minikube', ['profile', 'list', '-o', 'json'], { env, encoding: 'utf8' });
    expect(profiles.status, profiles.stderr).toBe(0);
    expect((JSON.parse(profiles.stdout) as { valid: Array<{ Name: string }> }).valid.map((p) => p.Name)).not.toContain(lane.QED_TEST_MINIKUBE_PROFILE);
    expect(status(cwd).record.state).toBe('absent');

    const created = cli(cwd, ['--yes', 'cluster', 'up', '--json']);
    expect(created.code, created.stderr + created.stdout).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ action: 'create', context: lane.QED_TEST_MINIKUBE_PROFILE });
    const nodes = spawnSync('kubectl', ['wait', '--for=condition=Ready', 'node', '--all', '--timeout=180s'], { env, encoding: 'utf8' });
    expect(nodes.status, nodes.stderr).toBe(0);
    expect(status(cwd).record.state).toBe('running');
  });
});
