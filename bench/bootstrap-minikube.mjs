#!/usr/bin/env node
// Bootstrap on a real minikube (issue 12): `qed-bootstrap --yes` from nothing (no
// cluster, an empty registry) to Redis, PostgreSQL, nginx and Django running as real
// containers, split by step, against the waits no tool can avoid, measured alone in
// the same run with the same inputs:
//   - `minikube start` with the same flags, from nothing;
//   - pushing the same images with `docker push` into an empty registry;
//   - the kubelet pulling and starting them: `kubectl apply` of the same rendered
//     objects into a fresh namespace (the images removed from the node first) and
//     `kubectl wait` until they are ready.
// Goal: the tool adds <= 10% over the sum. Asserts nothing. Runs on the minikube lane
// (deletes and recreates its cluster; leaves it as the lane made it).
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { laneStartArgs } from 'testenv/minikube-lane';
import { openLaneSession } from './lane-session.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(root, 'packages/cli/bin/qed-bootstrap.js');
const progress = (m) => process.stderr.write(`[bench] ${m}\n`);
// The bench deletes and recreates the lane's cluster: not while a test suite uses it (the session takes the lane's turn).
const { lane, id, dir, env, sh, must, close } = await openLaneSession({ root, tmpPrefix: 'qed-bench-mk-', timeoutMs: 900_000, progress });
const timed = (what, fn) => {
  const started = process.hrtime.bigint();
  const result = fn();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  progress(`${what}: ${(ms / 1000).toFixed(1)} s`);
  return { ms, result };
};
const registries = [];
/** A registry of its own for each measurement, so no push finds another's layers. Ports 5000-5099 of 127.0.0.1 are plain HTTP for podman here. */
async function freshRegistry(port) {
  const store = path.join(dir, `registry-${port}`);
  await mkdir(store, { recursive: true });
  await writeFile(path.join(store, 'config.yml'), `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${store}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn('docker-registry', ['serve', path.join(store, 'config.yml')], { stdio: 'ignore', detached: true });
  child.unref();
  registries.push(child.pid);
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => null))?.ok) return `127.0.0.1:${port}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`registry on ${port} did not start`);
}
const services = ['nginx', 'redis', 'postgres', 'django'];
/** Every image on the node but the control plane's, so each measured run pulls all its layers (earlier runs share them). */
function forgetWorkloadImages() {
  const listed = JSON.parse(sh('crictl', ['images', '-o', 'json']).stdout || '{"images":[]}');
  for (const image of listed.images) {
    if ((image.repoTags ?? []).some((t) => t.startsWith('registry.k8s.io/'))) continue;
    sh('crictl', ['rmi', image.id]);
  }
}
const images = [
  ['qed-nginx', 'quanted/qed_nginx:latest', 'nginx'],
  ['redis', 'quanted/redis:latest', 'redis'],
  ['postgis', 'mdillon/postgis:latest', 'postgres'],
  ['qed-django', 'quanted/qed-django:latest', 'standin'],
];

try {
  for (const archive of [lane.QED_TEST_STANDIN_ARCHIVE, lane.QED_TEST_SERVICES_ARCHIVE]) must(sh('docker', ['load', '-i', archive]), 'docker load');
  for (const [name, entrypoint] of [['redis', 'qed-redis'], ['postgres', 'qed-postgres'], ['nginx', 'qed-nginx']]) {
    await mkdir(path.join(dir, 'images', name), { recursive: true });
    await writeFile(path.join(dir, 'images', name, 'Dockerfile'), `FROM ${lane.QED_TEST_SERVICES_IMAGE}\nENTRYPOINT ["/usr/local/bin/${entrypoint}"]\n`);
  }
  await mkdir(path.join(dir, 'images', 'standin', 'bin'), { recursive: true });
  await writeFile(path.join(dir, 'images', 'standin', 'Dockerfile'), `FROM ${lane.QED_TEST_STANDIN_IMAGE}\nCOPY bin/ /usr/local/bin/\n`);
  await symlink('/standin', path.join(dir, 'images', 'standin', 'bin', 'celery'));
  const pipelineRegistry = await freshRegistry(5097);
  const namespace = `qed-bench-${id}`;
  await writeFile(
    path.join(dir, 'qed.config.yaml'),
    [
      'cluster:',
      '  driver: none',
      '  containerRuntime: containerd',
      `  kubernetesVersion: ${lane.QED_TEST_MINIKUBE_KUBERNETES_VERSION}`,
      `  extraConfig: [${lane.QED_TEST_MINIKUBE_EXTRA_CONFIG}]`,
      `registry: { host: ${pipelineRegistry}, name: bench-registry }`,
      'images:',
      ...images.map(([name, source, context]) => `  - { name: bench-${id}/${name}, source: "${source}", context: ./images/${context} }`),
      `namespace: ${namespace}`,
      'dataRoot: ./data',
      '',
    ].join('\n'),
  );

  // 1. minikube start alone, from nothing, with the flags the pipeline will use.
  forgetWorkloadImages();
  must(sh('minikube', ['delete', '-p', 'minikube']), 'minikube delete');
  const start = timed('minikube start alone', () => must(sh('minikube', laneStartArgs('minikube', lane.QED_TEST_MINIKUBE_KUBERNETES_VERSION, pipelineRegistry)), 'minikube start'));
  must(sh('minikube', ['delete', '-p', 'minikube']), 'minikube delete');

  // 2. The pipeline from nothing.
  const pipeline = timed('qed-bootstrap from nothing', () =>
    must(spawnSync(process.execPath, [BIN, '--yes', '--json', '--only', services.join(',')], { cwd: dir, env, encoding: 'utf8', timeout: 1_800_000 }), 'qed-bootstrap'),
  );
  const steps = pipeline.result.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === 'step' && e.status !== 'started');

  // 3. The same images pushed alone into an empty registry.
  const pushRegistry = await freshRegistry(5098);
  const refs = Object.values(JSON.parse(await readFile(path.join(dir, '.qed', 'images.json'), 'utf8'))).filter((r) => r.startsWith(pipelineRegistry));
  const push = timed('docker push alone', () => {
    for (const ref of refs) {
      const copy = ref.replace(pipelineRegistry, pushRegistry);
      must(sh('docker', ['tag', ref, copy]), 'docker tag');
      must(sh('docker', ['push', copy]), 'docker push');
    }
  });

  // 4. The kubelet pulling and starting them alone: the same objects in a fresh namespace, images gone from the node.
  const other = `qed-bench-kubectl-${id}`;
  const rendered = path.join(dir, 'rendered');
  must(spawnSync(process.execPath, [BIN, 'manifests', 'render', '--namespace', other, '--only', services.join(','), '--out', rendered], { cwd: dir, env, encoding: 'utf8' }), 'render');
  must(sh('kubectl', ['delete', 'namespace', namespace, '--wait=true']), 'delete the pipeline namespace');
  forgetWorkloadImages();
  const files = (await readdir(rendered)).filter((f) => f.endsWith('.yaml')).sort();
  const pull = timed('kubectl apply + wait alone (pull and start)', () => {
    for (const file of files) must(sh('kubectl', ['apply', '-f', path.join(rendered, file)]), `kubectl apply ${file}`);
    must(sh('kubectl', ['-n', other, 'wait', '--for=condition=Ready', 'pod', '--all', '--timeout=600s']), 'kubectl wait');
  });
  sh('kubectl', ['delete', 'namespace', other, '--wait=false']);

  const unavoidable = start.ms + push.ms + pull.ms;
  const line = (name, ms) => `  ${name.padEnd(34)} ${(ms / 1000).toFixed(1).padStart(7)} s`;
  process.stdout.write(
    [
      'bootstrap on a real minikube (driver none, containerd), 4 services, real containers',
      line('qed-bootstrap from nothing (wall)', pipeline.ms),
      ...steps.map((s) => line(`  step ${s.step}`, s.durationMs)),
      line('minikube start alone', start.ms),
      line('docker push alone', push.ms),
      line('kubectl apply + wait alone', pull.ms),
      line('unavoidable (sum)', unavoidable),
      `  ratio: ${(pipeline.ms / unavoidable).toFixed(2)}x the unavoidable waits (the tool adds ${(((pipeline.ms - unavoidable) / unavoidable) * 100).toFixed(0)}%; goal <= 10%)`,
      '',
    ].join('\n'),
  );
} finally {
  for (const pid of registries) {
    try {
      process.kill(pid);
    } catch {}
  }
  // Leave the lane's cluster as the lane made it.
  sh('minikube', ['delete', '-p', 'minikube']);
  sh('minikube', laneStartArgs('minikube', lane.QED_TEST_MINIKUBE_KUBERNETES_VERSION, lane.QED_TEST_MINIKUBE_REGISTRY));
  await close();
}
