import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOnMinikubeLane, laneClusterConfig } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));

interface StepEvent {
  type: 'step' | 'pipeline';
  step?: string;
  status: string;
  detail?: string;
  failedStep?: string;
  error?: { code: string; message: string; data?: { notReady?: Array<{ object: string; reason: string; message: string }> } };
}

interface StatusRecord {
  ready: boolean;
  workloads: Array<{ kind: string; name: string; ready: boolean; images: string[] }>;
  services: Array<{ name: string; reach: string[] }>;
}

/**
 * The product's main job, `npx qed-bootstrap --yes` with the default target
 * (minikube), on a real minikube whose real kubelet pulls every image from the
 * local registry and runs it. The QED images cannot be pulled here: Redis,
 * PostgreSQL and nginx are Debian's real programs (the lane's debian-services
 * image), the other services a stand-in answering their ports (programs/standin),
 * all built and pushed by the images step itself.
 *
 * Two CPUs cannot hold all fifteen QED workloads' requests at once beside the
 * control plane, so the first run deploys ten of them, the second (after `down`)
 * the other five with Redis and PostgreSQL again: every workload runs for real
 * once, and the data written in the first run must be there in the second.
 */
describeOnMinikubeLane('npx qed-bootstrap on a real minikube: real containers, data that survives, real pull errors', (lane, testenv) => {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const ns = `qed-mk-e2e-${tag}`.slice(0, 63);
  const env = { ...process.env, ...lane, DOCKER_HOST: testenv.DOCKER_HOST, CI: 'true', NO_COLOR: '1' };
  const repo = `qed-mk-e2e-${tag}`;
  let cwd = '';
  let dataRoot = '';
  const sh = (command: string, args: string[], timeout = 300_000) => spawnSync(command, args, { env, encoding: 'utf8', timeout });
  const kubectl = (...args: string[]) => sh('kubectl', ['-n', ns, ...args]);
  const cli = (args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...env, HOME: cwd }, encoding: 'utf8', timeout: 900_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const events = (stdout: string): StepEvent[] => stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as StepEvent);
  const statusOf = () => {
    const run = cli(['status', '--namespace', ns, '--json']);
    return { code: run.code, record: JSON.parse(run.stdout || '{}') as StatusRecord, stderr: run.stderr };
  };
  const FIRST = ['nginx', 'redis', 'postgres', 'django', 'flask', 'celery', 'celery-flower', 'cts-nodejs', 'mongodb', 'tomcat'];
  const SECOND = ['redis', 'postgres', 'cts-manager', 'cts-worker', 'dask-scheduler', 'dask-worker', 'hms-dotnetcore'];
  const psql = (sql: string) => kubectl('exec', 'statefulset/postgres', '--', '/usr/lib/postgresql/15/bin/psql', '-U', 'postgres', '-tAc', sql);
  const redis = (...args: string[]) => kubectl('exec', 'deploy/redis', '--', '/usr/bin/redis-cli', ...args);

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-mk-e2e-'));
    dataRoot = path.join(cwd, 'data');
    // The base images the QED stand-ins are built FROM, into the engine the images step builds with.
    for (const archive of [lane.QED_TEST_STANDIN_ARCHIVE, lane.QED_TEST_SERVICES_ARCHIVE]) {
      const loaded = sh('docker', ['load', '-i', archive]);
      expect(loaded.status, loaded.stderr).toBe(0);
    }
    const dockerfile = (base: string, entrypoint?: string) => `FROM ${base}\n${entrypoint ? `ENTRYPOINT ["${entrypoint}"]\n` : 'COPY bin/ /usr/local/bin/\n'}`;
    for (const [name, entrypoint] of [['redis', '/usr/local/bin/qed-redis'], ['postgres', '/usr/local/bin/qed-postgres'], ['nginx', '/usr/local/bin/qed-nginx']] as const) {
      await mkdir(path.join(cwd, 'images', name), { recursive: true });
      await writeFile(path.join(cwd, 'images', name, 'Dockerfile'), dockerfile(lane.QED_TEST_SERVICES_IMAGE, entrypoint));
    }
    // The manifests' commands (celery …) run the stand-in too.
    await mkdir(path.join(cwd, 'images', 'standin', 'bin'), { recursive: true });
    await writeFile(path.join(cwd, 'images', 'standin', 'Dockerfile'), dockerfile(lane.QED_TEST_STANDIN_IMAGE));
    await symlink('/standin', path.join(cwd, 'images', 'standin', 'bin', 'celery'));
    const image = (name: string, source: string, context: string) => `  - { name: ${repo}/${name}, source: "${source}", context: ./images/${context} }`;
    await writeFile(
      path.join(cwd, 'qed.config.yaml'),
      [
        ...laneClusterConfig(lane),
        'registry:',
        `  host: ${lane.QED_TEST_MINIKUBE_REGISTRY}`,
        `  name: ${repo}-registry`,
        'images:',
        image('qed-nginx', 'quanted/qed_nginx:latest', 'nginx'),
        image('redis', 'quanted/redis:latest', 'redis'),
        image('postgis', 'mdillon/postgis:latest', 'postgres'),
        image('qed-django', 'quanted/qed-django:latest', 'standin'),
        image('flask-qed', 'quanted/flask_qed:latest', 'standin'),
        image('cts-nodejs', 'quanted/cts_nodejs:latest', 'standin'),
        image('cts-celery', 'quanted/cts_celery:latest', 'standin'),
        image('mongo', 'quanted/mongo:latest', 'standin'),
        image('hms-dotnetcore', 'quanted/hms-dotnetcore:latest', 'standin'),
        image('qed-dask', 'quanted/qed-dask:latest', 'standin'),
        image('qed-tomcat', 'quanted/qed-tomcat:latest', 'standin'),
        image('flower', 'mher/flower:latest', 'standin'),
        `namespace: ${ns}`,
        'dataRoot: ./data',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    if (!cwd) return;
    sh('kubectl', ['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
    const pvs = sh('kubectl', ['get', 'pv', '-o', 'name']).stdout.split('\n').filter((pv) => pv.startsWith(`persistentvolume/${ns}-`));
    if (pvs.length > 0) sh('kubectl', ['delete', '--wait=false', ...pvs]);
    await rm(cwd, { recursive: true, force: true });
  });

  it('from nothing to ten workloads ready, every image built, pushed and pulled by the real kubelet', () => {
    const run = cli(['--yes', '--json', '--only', FIRST.join(',')]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const all = events(run.stdout);
    for (const step of ['doctor', 'cluster', 'registry', 'images', 'manifests', 'apply', 'wait', 'summary']) {
      expect(all.find((e) => e.step === step && e.status === 'succeeded'), `${step}\n${run.stdout}`).toBeDefined();
    }
    expect(all.find((e) => e.step === 'cluster' && e.status === 'succeeded')?.detail).toContain('already runs with the wanted settings');
    const status = statusOf();
    expect(status.code, status.stderr).toBe(0);
    expect(status.record.ready).toBe(true);
    expect(status.record.workloads.map((w) => w.name).sort()).toEqual([...FIRST].sort());
    // The node pulls from the registry as it reaches it: on driver none, the host's own 127.0.0.1.
    for (const w of status.record.workloads) expect(w.images[0]).toMatch(new RegExp(`^${lane.QED_TEST_MINIKUBE_REGISTRY}/${repo}/`));
    // Real containers: running, with the image digest the kubelet pulled.
    const pods = JSON.parse(kubectl('get', 'pods', '-o', 'json').stdout) as {
      items: Array<{ status: { containerStatuses: Array<{ ready: boolean; imageID: string; state: { running?: object } }> } }>;
    };
    expect(pods.items).toHaveLength(FIRST.length);
    for (const pod of pods.items) {
      for (const c of pod.status.containerStatuses) {
        expect(c.state.running).toBeDefined();
        expect(c.imageID).toMatch(/@sha256:[0-9a-f]{64}$/);
      }
    }
    expect(kubectl('logs', 'deploy/django').stdout).toContain('listening on 8080');
  });

  it('nginx answers for real on the address status prints', () => {
    const status = statusOf();
    const reach = status.record.services.find((s) => s.name === 'qed-nginx')?.reach ?? [];
    expect(reach.join(' ')).toContain(`minikube service -p ${lane.QED_TEST_MINIKUBE_PROFILE}`);
    const url = sh('minikube', ['service', '-p', lane.QED_TEST_MINIKUBE_PROFILE, '-n', ns, 'qed-nginx', '--url']);
    expect(url.status, url.stderr).toBe(0);
    const first = url.stdout.trim().split('\n')[0] ?? '';
    expect(first).toMatch(/^http:\/\/[\d.]+:\d+$/);
    // kube-proxy programs a new NodePort a moment after the pod is Ready (longer on a
    // loaded machine): up to 120 tries, which only bounds a failure.
    let page = '';
    for (let attempt = 0; attempt < 120 && !page; attempt++) {
      page = sh('curl', ['-sS', '--max-time', '2', `${first}/qed`]).stdout;
      if (!page) spawnSync('sleep', ['0.5']);
    }
    expect(page).toBe('qed-testenv nginx: /qed\n');
  });

  it('a row written to the real PostgreSQL and a key to Redis', () => {
    const created = psql(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('row-${tag}')`);
    expect(created.status, created.stderr).toBe(0);
    expect(redis('SET', 'kept', `key-${tag}`).stdout.trim()).toBe('OK');
  });

  it('survive `down` and a new bootstrap, which runs the other five workloads for real', async () => {
    const down = cli(['down', '--namespace', ns]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('Kept (data; remove with --purge)');
    const run = cli(['--yes', '--json', '--only', SECOND.join(',')]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const status = statusOf();
    expect(status.record.ready).toBe(true);
    expect(status.record.workloads.map((w) => w.name).sort()).toEqual([...SECOND].sort());
    expect(psql('SELECT v FROM kept').stdout.trim()).toBe(`row-${tag}`);
    expect(redis('GET', 'kept').stdout.trim()).toBe(`key-${tag}`);
  });

  it('survive minikube stop and start', () => {
    const stop = cli(['cluster', 'stop']);
    expect(stop.code, stop.stderr).toBe(0);
    const up = cli(['--yes', 'cluster', 'up']);
    expect(up.code, up.stderr).toBe(0);
    for (const workload of ['statefulset/postgres', 'deploy/redis']) {
      const ready = kubectl('rollout', 'status', workload, '--timeout=300s');
      expect(ready.status, ready.stderr).toBe(0);
    }
    const waitPods = kubectl('wait', '--for=condition=Ready', 'pod', '--all', '--timeout=300s');
    expect(waitPods.status, waitPods.stderr).toBe(0);
    // Ready may still be the status from before the stop until the kubelet reports again: asked up to 60 times.
    let row = '';
    let key = '';
    for (let attempt = 0; attempt < 60 && (row !== `row-${tag}` || key !== `key-${tag}`); attempt++) {
      row = psql('SELECT v FROM kept').stdout.trim();
      key = redis('GET', 'kept').stdout.trim();
      if (row !== `row-${tag}` || key !== `key-${tag}`) spawnSync('sleep', ['1']);
    }
    expect(row).toBe(`row-${tag}`);
    expect(key).toBe(`key-${tag}`);
  });

  it('down --purge asks, then removes the data: a new bootstrap starts empty', async () => {
    const refused = cli(['down', '--namespace', ns, '--purge']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('with their persistent data (--purge) was not confirmed, so nothing was changed');
    const purged = cli(['--yes', 'down', '--namespace', ns, '--purge', '--json']);
    expect(purged.code, purged.stderr).toBe(0);
    const result = JSON.parse(purged.stdout) as { removedFolders: string[] };
    expect(result.removedFolders.length).toBeGreaterThanOrEqual(2);
    for (const folder of result.removedFolders) {
      expect(folder.startsWith(dataRoot)).toBe(true);
      expect(existsSync(folder)).toBe(false);
    }
    const run = cli(['--yes', '--json', '--only', 'redis,postgres']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(psql(`SELECT count(*) FROM pg_tables WHERE tablename = 'kept'`).stdout.trim()).toBe('0');
    expect(redis('EXISTS', 'kept').stdout.trim()).toBe('0');
  });

  it('an image the registry does not have: the wait step names the pull error the kubelet reported', async () => {
    // A Redis image under a new name, built and pushed, then deleted from the registry before
    // any node pulled it (a name the node has pulled before would come from its own cache).
    const config = await readFile(path.join(cwd, 'qed.config.yaml'), 'utf8');
    await writeFile(path.join(cwd, 'qed.gone.yaml'), config.replace(`name: ${repo}/redis,`, `name: ${repo}/redis-gone,`));
    const pushed = cli(['--yes', '--json', '--config', 'qed.gone.yaml', '--only', 'redis', '--to', 'images']);
    expect(pushed.code, pushed.stderr + pushed.stdout).toBe(0);
    const refs = JSON.parse(await readFile(path.join(cwd, '.qed', 'images.json'), 'utf8')) as Record<string, string>;
    const ref = JSON.stringify(refs).match(new RegExp(`${lane.QED_TEST_MINIKUBE_REGISTRY}/${repo}/redis-gone:[^"]+`))?.[0] ?? '';
    const [repository, reference] = ref.slice(lane.QED_TEST_MINIKUBE_REGISTRY.length + 1).split(':');
    const head = await fetch(`http://${lane.QED_TEST_MINIKUBE_REGISTRY}/v2/${repository}/manifests/${reference}`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    const digest = head.headers.get('docker-content-digest');
    expect(digest).toMatch(/^sha256:/);
    const deleted = await fetch(`http://${lane.QED_TEST_MINIKUBE_REGISTRY}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
    expect(deleted.status).toBe(202);
    const run = cli(['--yes', '--json', '--config', 'qed.gone.yaml', '--only', 'redis', '--from', 'manifests']);
    expect(run.code).not.toBe(0);
    const failed = events(run.stdout).find((e) => e.step === 'wait' && e.status === 'failed');
    expect(failed?.error?.code).toBe('NOT_READY');
    // The kubelet's own words, as the pod's status carries them.
    const redisDiagnosis = failed?.error?.data?.notReady?.find((d) => d.object.includes('redis'));
    expect(redisDiagnosis?.reason).toBe('ImagePull');
    expect(redisDiagnosis?.message).toMatch(/^(ErrImagePull|ImagePullBackOff) for image \S+\/redis-gone:/);
    expect(redisDiagnosis?.message).toMatch(/not found/i);
  });
});
