#!/usr/bin/env node
// The dev loop (issue 15): `qed-bootstrap dev` against `skaffold dev`, on the same
// real minikube cluster in the same run. One small web image (nginx from the lane's
// Debian services image, serving site/ of its build context) deployed once for each
// tool, in a namespace of its own; then, alternating tool by tool (who goes first
// alternates too), N edits of the served page each:
//   - rebuild: no sync rules; from the save until the Service's ClusterIP serves only
//     the new page (read through kube-proxy, a new connection per read). Also each
//     tool's own "done": our `cycle` event's `ms`, and skaffold's "Deployments
//     stabilized" line (its status check), both from the save.
//   - sync: a rule for site/** on both sides (ours: images[].sync; skaffold:
//     sync.manual), timed the same way; when dev answers a sync-only save with a
//     rebuild, our sync is reported as not measured rather than as a rebuild.
// Goals: rebuild <= 0.5x skaffold's; a sync well under a second. Prints medians and
// ratios; asserts nothing. skaffold is built from its Go module by
// tools/testenv/scripts/build-skaffold.sh (cached in ~/.cache/qed-testenv/bin); it
// pushes to the lane's registry and deploys with kubectl, as its users would.
// Runs on the minikube lane (takes its turn; leaves the cluster as it found it).
//   node bench/dev.mjs [--edits N] [--skaffold-interval MS]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openLaneSession } from './lane-session.mjs';

const { values: flags } = parseArgs({
  options: {
    edits: { type: 'string', default: '5' },
    // skaffold's own default: it waits this long after the last file event before a cycle (ours waits 100 ms).
    'skaffold-interval': { type: 'string', default: '1000' },
  },
});
const EDITS = Number(flags.edits);
const SKAFFOLD_INTERVAL = Number(flags['skaffold-interval']);
if (!Number.isInteger(EDITS) || EDITS < 1 || !Number.isInteger(SKAFFOLD_INTERVAL) || SKAFFOLD_INTERVAL < 1) {
  process.stderr.write(`--edits and --skaffold-interval must be whole numbers >= 1, got ${flags.edits} and ${flags['skaffold-interval']}\n`);
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(root, 'packages/cli/bin/qed-bootstrap.js');
const progress = (m) => process.stderr.write(`[bench] ${m}\n`);
if (!existsSync(path.join(root, 'packages/cli/dist/main.js'))) {
  progress('qed-bootstrap is not built: run `npm run build` first');
  process.exit(1);
}

// skaffold first: a cold build takes minutes, and needs no lane.
const built = spawnSync('bash', [path.join(root, 'tools/testenv/scripts/build-skaffold.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (built.status !== 0) {
  progress(`building skaffold failed (exit ${built.status}); see the log above`);
  process.exit(1);
}
const SKAFFOLD = built.stdout.trim().split('\n').at(-1);

const NGINX_CONF = `user www-data;
worker_processes 1;
error_log stderr notice;
pid /run/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  server { listen 80; root /srv/site; }
}
`;
/** The Deployment and Service both tools run (skaffold rewrites `web` to the image it built). */
const manifest = (image) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: web }',
    'spec:',
    '  replicas: 1',
    '  selector: { matchLabels: { app: web } }',
    '  template:',
    '    metadata: { labels: { app: web } }',
    `    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: web, image: "${image}", ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 1 } }] }`,
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: { name: web }',
    'spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }',
    '',
  ].join('\n');

// Timings want the cluster to themselves: the session takes the lane's turn.
const { lane, id, dir, env, sh, must, close } = await openLaneSession({ root, tmpPrefix: 'qed-bench-dev-', timeoutMs: 600_000, progress });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const REGISTRY = lane.QED_TEST_MINIKUBE_REGISTRY;
const ns = { ours: `qed-bench-dev-${id}`, skaffold: `skaffold-bench-dev-${id}` };
const started = [];

/** A process of ours, in a group of its own so its children (skaffold's kubectl) stop with it; its output read line by line, each line timed. */
function startProcess(name, command, args, cwd) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { name, child, lines: [], waiters: [], exited: false, log: '' };
  started.push(proc);
  const onLine = (line) => {
    proc.lines.push({ at: performance.now(), line });
    proc.log = `${proc.log}${line}\n`.slice(-20_000);
    for (const wake of proc.waiters.splice(0)) wake();
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  child.on('exit', () => {
    proc.exited = true;
    for (const wake of proc.waiters.splice(0)) wake();
  });
  return proc;
}
/** The first line from index `from` on that matches, with its time; throws when the process exits or after `timeoutMs`. */
async function nextLine(proc, from, match, timeoutMs = 300_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = proc.lines.slice(from).find((l) => match(l.line));
    if (found) return found;
    if (proc.exited) throw new Error(`${proc.name} exited before the line came:\n${proc.log.slice(-4000)}`);
    if (performance.now() > deadline) throw new Error(`${proc.name}: no such line within ${timeoutMs / 1000} s:\n${proc.log.slice(-4000)}`);
    await Promise.race([new Promise((r) => proc.waiters.push(r)), sleep(1000)]);
  }
}
const jsonEvent = (match) => (line) => {
  try {
    const event = JSON.parse(line);
    return typeof event === 'object' && event !== null && match(event);
  } catch {
    return false;
  }
};
async function stopProcess(proc) {
  if (proc.exited) return;
  try {
    process.kill(-proc.child.pid, 'SIGINT');
  } catch {}
  for (let i = 0; i < 100 && !proc.exited; i++) await sleep(100);
  if (!proc.exited) {
    try {
      process.kill(-proc.child.pid, 'SIGKILL');
    } catch {}
  }
}

/** One read of the Service's page through kube-proxy, on a new connection (a kept-alive one would stay with the old pod); null when none came. */
function readPage(ip) {
  return new Promise((resolve) => {
    const request = http.get({ host: ip, port: 80, path: '/', agent: false, timeout: 500 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve(response.statusCode === 200 ? body : null));
      response.on('error', () => resolve(null));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}
/**
 * When the Service serves only `expected`: the time the first read of the new page
 * came back, of a run of five that no other page interrupts (while an old pod still
 * answers, kube-proxy spreads reads over both). A read that gets no answer neither
 * starts nor ends a run. Reads every 50 ms; null after `timeoutMs`.
 */
async function servedAt(ip, expected, timeoutMs = 300_000) {
  const deadline = performance.now() + timeoutMs;
  let runFrom = null;
  let run = 0;
  while (performance.now() < deadline) {
    const page = await readPage(ip);
    if (page === expected) {
      runFrom ??= performance.now();
      if (++run >= 5) return runFrom;
    } else if (page !== null) {
      runFrom = null;
      run = 0;
    }
    await sleep(50);
  }
  return null;
}
const clusterIp = (namespace) => must(sh('kubectl', ['-n', namespace, 'get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']), 'get service').stdout.trim();

let cleaned = false;
async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  for (const proc of started) await stopProcess(proc);
  sh('kubectl', ['delete', 'namespace', ns.ours, ns.skaffold, '--wait=false', '--ignore-not-found']);
  await close();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    progress(`${signal}: cleaning up`);
    cleanUp().finally(() => process.exit(130));
  });
}

const results = { rebuild: { ours: [], oursCycle: [], skaffold: [], skaffoldDeployed: [] }, sync: { ours: [], oursCycle: [], skaffold: [] } };
let oursSyncFallback = null;
let loadBefore = null;
let loadAfter = null;
let skaffoldVersion = '';
try {
  skaffoldVersion = sh(SKAFFOLD, ['version']).stdout.trim();
  must(sh('docker', ['load', '-i', lane.QED_TEST_SERVICES_ARCHIVE]), 'docker load');
  const context = must(sh('kubectl', ['config', 'current-context']), 'kubectl config current-context').stdout.trim();
  // The same build context for both tools, each in its own folder.
  const page = (tool) => path.join(dir, tool, 'web', 'site', 'index.html');
  for (const tool of ['ours', 'skaffold']) {
    const web = path.join(dir, tool, 'web');
    await mkdir(path.join(web, 'site'), { recursive: true });
    await writeFile(path.join(web, 'nginx.conf'), NGINX_CONF);
    await writeFile(page(tool), `${tool} version zero\n`);
    await writeFile(path.join(web, 'Dockerfile'), `FROM ${lane.QED_TEST_SERVICES_IMAGE}\nCOPY nginx.conf /etc/nginx/nginx.conf\nCOPY site/ /srv/site/\nENTRYPOINT ["/usr/local/bin/qed-nginx"]\n`);
    must(sh('kubectl', ['create', 'namespace', ns[tool]]), `create namespace ${ns[tool]}`);
  }
  const imageName = `qed-bench-dev-${id}/web`;
  const writeOursConfig = (sync) =>
    writeFile(
      path.join(dir, 'ours', 'qed.config.yaml'),
      [
        'registry:',
        `  host: ${REGISTRY}`,
        'images:',
        `  - { name: ${imageName}, source: "example.com/web:latest", context: ./web${sync ? ', sync: [{ src: "site/**", dest: /srv/site }]' : ''} }`,
        `namespace: ${ns.ours}`,
        '',
      ].join('\n'),
    );
  // skaffold pushes (the node pulls from the registry) over plain HTTP, builds with the
  // engine's API without BuildKit (podman's Docker API has none), tags by content as we do.
  const writeSkaffoldConfig = (sync) =>
    writeFile(
      path.join(dir, 'skaffold', 'skaffold.yaml'),
      [
        'apiVersion: skaffold/v4beta13',
        'kind: Config',
        'metadata: { name: bench }',
        'build:',
        '  tagPolicy: { inputDigest: {} }',
        '  local: { push: true, useBuildkit: false, useDockerCLI: false, concurrency: 1 }',
        '  artifacts:',
        '    - image: web',
        '      context: web',
        '      docker: { dockerfile: Dockerfile }',
        ...(sync ? ["      sync: { manual: [{ src: 'site/**', dest: /srv/site, strip: site/ }] }"] : []),
        'manifests: { rawYaml: [k8s.yaml] }',
        'deploy: { kubectl: {} }',
        '',
      ].join('\n'),
    );
  await writeFile(path.join(dir, 'skaffold', 'k8s.yaml'), manifest('web'));
  // skaffold's global config: no update check, no metrics, no prompts; and not a "local
  // cluster" (that would make it look for minikube's docker daemon instead of pushing).
  await mkdir(path.join(dir, '.skaffold'), { recursive: true });
  await writeFile(
    path.join(dir, '.skaffold', 'config'),
    'global:\n  local-cluster: false\n  update-check: false\n  collect-metrics: false\n  survey: { disable-prompt: true }\n  update: { disable-prompt: true }\nkubeContexts: []\n',
  );

  // Ours deployed as the bootstrap leaves it: the image pushed, a Deployment and a Service running it.
  await writeOursConfig(false);
  const cli = (args) => sh(process.execPath, [BIN, ...args], { cwd: path.join(dir, 'ours') });
  must(cli(['images', 'push']), 'qed-bootstrap images push');
  const ref = JSON.parse(await readFile(path.join(dir, 'ours', '.qed', 'images.json'), 'utf8'))['example.com/web:latest'];
  await writeFile(path.join(dir, 'ours', 'web.yaml'), manifest(ref));
  must(sh('kubectl', ['-n', ns.ours, 'apply', '-f', path.join(dir, 'ours', 'web.yaml')]), 'kubectl apply');
  must(sh('kubectl', ['-n', ns.ours, 'rollout', 'status', 'deployment/web', '--timeout=300s']), 'rollout status');

  const startOurs = async () => {
    const proc = startProcess('qed-bootstrap dev', process.execPath, [BIN, 'dev', '--json', '--no-forward', '--namespace', ns.ours], path.join(dir, 'ours'));
    await nextLine(proc, 0, jsonEvent((e) => e.type === 'watching'));
    return proc;
  };
  const startSkaffold = async () => {
    const proc = startProcess(
      'skaffold dev',
      SKAFFOLD,
      [
        'dev',
        '--filename',
        'skaffold.yaml',
        '--default-repo',
        `${REGISTRY}/skaffold-bench-${id}`,
        '--insecure-registry',
        REGISTRY,
        '--kube-context',
        context,
        '--namespace',
        ns.skaffold,
        '--cleanup=false',
        '--port-forward=off',
        '--update-check=false',
        '--interactive=false',
        '--watch-poll-interval',
        String(SKAFFOLD_INTERVAL),
      ],
      path.join(dir, 'skaffold'),
    );
    // Its first build and deploy, then its watch.
    await nextLine(proc, 0, (l) => l.includes('Watching for changes'), 600_000);
    return proc;
  };

  /** One edit through ours: the save, the `cycle` event, the page served. */
  const editOurs = async (proc, kind, text) => {
    const from = proc.lines.length;
    const t0 = performance.now();
    await writeFile(page('ours'), text);
    const change = await nextLine(proc, from, jsonEvent((e) => e.type === 'change'));
    const changeEvent = JSON.parse(change.line);
    const served = await servedAt(clusterIp(ns.ours), text);
    const cycle = JSON.parse((await nextLine(proc, from, jsonEvent((e) => e.type === 'cycle'))).line);
    if (cycle.status !== 'ready') throw new Error(`qed-bootstrap dev: ${JSON.stringify(cycle)}`);
    if (kind === 'sync' && (changeEvent.action !== 'sync' || cycle.action !== 'sync')) {
      oursSyncFallback = changeEvent.reason ?? cycle.detail ?? 'a sync-only save was rebuilt';
      return;
    }
    results[kind].ours.push(served === null ? Number.NaN : served - t0);
    results[kind].oursCycle.push(cycle.ms);
    progress(`ours ${kind}: served ${served === null ? 'never' : `${((served - t0) / 1000).toFixed(2)} s`}, cycle ${(cycle.ms / 1000).toFixed(2)} s${cycle.phases ? ` (build and push ${(cycle.phases.buildMs / 1000).toFixed(2)} s, rollout ${(cycle.phases.rolloutMs / 1000).toFixed(2)} s)` : ''}`);
  };
  /** One edit through skaffold: the save, the page served, its next "Watching for changes". */
  const editSkaffold = async (proc, kind, text) => {
    const from = proc.lines.length;
    const t0 = performance.now();
    await writeFile(page('skaffold'), text);
    const served = await servedAt(clusterIp(ns.skaffold), text);
    const idle = await nextLine(proc, from, (l) => l.includes('Watching for changes'));
    const stabilized = proc.lines.slice(from).find((l) => l.line.includes('Deployments stabilized'));
    const synced = proc.lines.slice(from).some((l) => l.line.startsWith('Syncing '));
    if (kind === 'sync' && !synced) throw new Error(`skaffold dev did not sync:\n${proc.log.slice(-4000)}`);
    results[kind].skaffold.push(served === null ? Number.NaN : served - t0);
    if (kind === 'rebuild') results.rebuild.skaffoldDeployed.push((stabilized ?? idle).at - t0);
    progress(`skaffold ${kind}: served ${served === null ? 'never' : `${((served - t0) / 1000).toFixed(2)} s`}${kind === 'rebuild' ? `, deployed ${(((stabilized ?? idle).at - t0) / 1000).toFixed(2)} s` : ''}`);
  };

  loadBefore = os.loadavg();
  for (const kind of ['rebuild', 'sync']) {
    await writeOursConfig(kind === 'sync');
    await writeSkaffoldConfig(kind === 'sync');
    progress(`${kind}: starting both loops`);
    const ours = await startOurs();
    const skaffold = await startSkaffold();
    // Both settled: each Service serves what its folder holds.
    for (const tool of ['ours', 'skaffold']) {
      const current = await readFile(page(tool), 'utf8');
      if ((await servedAt(clusterIp(ns[tool]), current)) === null) throw new Error(`${tool}: the Service never served the current page`);
    }
    for (let i = 0; i < EDITS; i++) {
      const order = i % 2 === 0 ? ['ours', 'skaffold'] : ['skaffold', 'ours'];
      for (const tool of order) {
        const text = `${tool} ${kind} ${i + 1} ${id}\n`;
        if (tool === 'ours') {
          if (!oursSyncFallback || kind !== 'sync') await editOurs(ours, kind, text);
        } else await editSkaffold(skaffold, kind, text);
      }
    }
    await stopProcess(ours);
    await stopProcess(skaffold);
  }
  loadAfter = os.loadavg();
} finally {
  await cleanUp();
}

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const s = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a');
const line = (name, values) => `  ${name.padEnd(52)} ${s(median(values)).padStart(9)}   [${values.map((v) => (Number.isFinite(v) ? (v / 1000).toFixed(2) : 'x')).join(' ')}]`;
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : 'n/a');
const rebuildRatio = ratio(median(results.rebuild.ours), median(results.rebuild.skaffold));
const load = (l) => (l ? l.map((v) => v.toFixed(2)).join(' ') : 'n/a');
process.stdout.write(
  [
    `dev loop on a real minikube (driver none, containerd): nginx serving a page, ${EDITS} edits per tool and kind, medians [each edit, s]`,
    `  ${skaffoldVersion ? `skaffold ${skaffoldVersion}` : 'skaffold'} (kubectl deploy, push to ${REGISTRY}, watch interval ${SKAFFOLD_INTERVAL} ms); load average ${load(loadBefore)} before, ${load(loadAfter)} after`,
    'rebuild (no sync rule), from the save:',
    line('ours: served only the new page (ClusterIP)', results.rebuild.ours),
    line("ours: its `cycle` event's ms (rollout done)", results.rebuild.oursCycle),
    line('skaffold: served only the new page (ClusterIP)', results.rebuild.skaffold),
    line('skaffold: "Deployments stabilized" (status check)', results.rebuild.skaffoldDeployed),
    `  ratio ours/skaffold (served): ${rebuildRatio} (goal <= 0.5x)`,
    `  ratio ours/skaffold (each tool's own done: cycle ms / Deployments stabilized): ${ratio(median(results.rebuild.oursCycle), median(results.rebuild.skaffoldDeployed))}`,
    'sync (site/** rule), from the save:',
    oursSyncFallback ? `  ours: not measured: dev does not sync yet (${oursSyncFallback})` : line('ours: served the new page (ClusterIP)', results.sync.ours),
    ...(oursSyncFallback ? [] : [line("ours: its `cycle` event's ms (copied)", results.sync.oursCycle)]),
    line('skaffold: served the new page (ClusterIP)', results.sync.skaffold),
    oursSyncFallback
      ? '  ratio ours/skaffold (served): n/a (goal: well under a second)'
      : `  ratio ours/skaffold (served): ${ratio(median(results.sync.ours), median(results.sync.skaffold))} (goal: well under a second; ours ${s(median(results.sync.ours))})`,
    '',
  ].join('\n'),
);
