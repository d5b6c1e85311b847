#!/usr/bin/env node
// kompose labels honoured (issue 13): for every kompose.* label kompose documents,
// one small compose project is converted twice by each tool — with the label and
// without it (both with the same companion labels where the label only means
// something beside another, e.g. a nodeport port beside `service.type: nodeport`).
// A tool honours a label when the two outputs differ once echoes of the labels
// themselves (kompose's `kompose.*` annotations, its command-line annotation) are
// taken out. Same files, same runs, both tools as processes; kompose is built from
// its Go module (tools/testenv/scripts/build-kompose.sh). Prints the counts and
// the labels where the tools differ; asserts nothing.
//   node bench/convert-labels.mjs [--json]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';

const { values: flags } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(root, 'packages/qed-bootstrap/bin/qed-bootstrap.js');
const progress = (m) => process.stderr.write(`[bench] ${m}\n`);

const build = spawnSync('bash', [path.join(root, 'tools/testenv/scripts/build-kompose.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (build.status !== 0) process.exit(1);
const KOMPOSE = build.stdout.trim().split('\n').at(-1);
const bundled = spawnSync('npm', ['run', 'build'], { cwd: path.join(root, 'packages/qed-bootstrap'), stdio: ['ignore', 'ignore', 'inherit'] });
if (bundled.status !== 0) process.exit(1);

/** label -> [value, companions]; volume labels go on the top-level volume. */
const CASES = {
  'kompose.controller.port.expose': ['true', {}],
  'kompose.controller.type': ['statefulset', {}],
  'kompose.cronjob.schedule': ['*/5 * * * *', {}],
  'kompose.cronjob.concurrency_policy': ['Forbid', { 'kompose.cronjob.schedule': '*/5 * * * *' }],
  'kompose.cronjob.backoff_limit': ['3', { 'kompose.cronjob.schedule': '*/5 * * * *' }],
  'kompose.ephemeral-storage.limit': ['1Gi', {}],
  'kompose.ephemeral-storage.request': ['500Mi', {}],
  'kompose.hpa.cpu': ['50', {}],
  'kompose.hpa.memory': ['512Mi', {}],
  'kompose.hpa.replicas.max': ['5', {}],
  'kompose.hpa.replicas.min': ['2', {}],
  'kompose.image-pull-policy': ['Always', {}],
  'kompose.image-pull-secret': ['regcred', {}],
  'kompose.init.containers.name': ['init-web', { 'kompose.init.containers.image': 'busybox:1.36' }],
  'kompose.init.containers.image': ['busybox:1.36', { 'kompose.init.containers.name': 'init-web' }],
  'kompose.init.containers.command': ['["sh","-c","true"]', { 'kompose.init.containers.name': 'init-web', 'kompose.init.containers.image': 'busybox:1.36' }],
  'kompose.security-context.fsgroup': ['1000', {}],
  'kompose.service.expose': ['example.com', {}],
  'kompose.service.expose.ingress-class-name': ['nginx', { 'kompose.service.expose': 'example.com' }],
  'kompose.service.expose.tls-secret': ['web-tls', { 'kompose.service.expose': 'example.com' }],
  'kompose.service.external-traffic-policy': ['local', { 'kompose.service.type': 'loadbalancer' }],
  'kompose.service.group': ['web-group', {}],
  'kompose.service.healthcheck.liveness.http_get_path': ['/health', { 'kompose.service.healthcheck.liveness.http_get_port': '80' }],
  'kompose.service.healthcheck.liveness.http_get_port': ['80', { 'kompose.service.healthcheck.liveness.http_get_path': '/health' }],
  'kompose.service.healthcheck.liveness.tcp_port': ['80', {}],
  'kompose.service.healthcheck.readiness.test': ['["CMD","true"]', {}],
  'kompose.service.healthcheck.readiness.interval': ['10s', { 'kompose.service.healthcheck.readiness.test': '["CMD","true"]' }],
  'kompose.service.healthcheck.readiness.timeout': ['2s', { 'kompose.service.healthcheck.readiness.test': '["CMD","true"]' }],
  'kompose.service.healthcheck.readiness.retries': ['5', { 'kompose.service.healthcheck.readiness.test': '["CMD","true"]' }],
  'kompose.service.healthcheck.readiness.start_period': ['5s', { 'kompose.service.healthcheck.readiness.test': '["CMD","true"]' }],
  'kompose.service.healthcheck.readiness.disable': ['true', { 'kompose.service.healthcheck.readiness.test': '["CMD","true"]' }],
  'kompose.service.healthcheck.readiness.http_get_path': ['/ready', { 'kompose.service.healthcheck.readiness.http_get_port': '80' }],
  'kompose.service.healthcheck.readiness.http_get_port': ['80', { 'kompose.service.healthcheck.readiness.http_get_path': '/ready' }],
  'kompose.service.healthcheck.readiness.tcp_port': ['80', {}],
  'kompose.service.name_override': ['webby', {}],
  'kompose.service.nodeport.port': ['30080', { 'kompose.service.type': 'nodeport' }],
  'kompose.service.type': ['nodeport', {}],
  'kompose.serviceaccount-name': ['web-sa', {}],
  'kompose.volume.size': ['2Gi', {}],
  'kompose.volume.storage-class-name': ['fast', {}],
  'kompose.volume.subpath': ['sub', {}],
  'kompose.volume.type': ['emptyDir', {}],
  'kompose.volume.selector': ['web-data', {}],
};
const VOLUME_LABELS = new Set(['kompose.volume.selector']);

function composeText(labels) {
  const service = Object.entries(labels).filter(([k]) => !VOLUME_LABELS.has(k));
  const volume = Object.entries(labels).filter(([k]) => VOLUME_LABELS.has(k));
  const block = (entries, indent) => (entries.length ? `${indent}labels:\n${entries.map(([k, v]) => `${indent}  ${k}: ${JSON.stringify(v)}`).join('\n')}\n` : '');
  return `services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n    volumes: ["data:/data"]\n${block(service, '    ')}volumes:\n  data:\n${block(volume, '    ') || '    {}\n'}`;
}

/** The objects a tool wrote, with the echoes of labels taken out, as one comparable string; null when it failed. */
function convert(tool, labels) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qed-bench-labels-'));
  try {
    const file = path.join(dir, 'compose.yaml');
    const out = path.join(dir, 'out');
    writeFileSync(file, composeText(labels));
    // kompose writes one file when -o names no existing folder.
    mkdirSync(out);
    const args = tool === 'kompose' ? [KOMPOSE, ['convert', '-f', file, '-o', out]] : [process.execPath, [BIN, 'convert', '-f', file, '-o', out, '--yes']];
    const result = spawnSync(args[0], args[1], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) return null;
    const objects = readdirSync(out)
      .sort()
      .flatMap((name) => parseAllDocuments(readFileSync(path.join(out, name), 'utf8')).map((d) => d.toJS()))
      .filter(Boolean)
      .map(stripEchoes);
    return JSON.stringify(objects);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function stripEchoes(value) {
  if (Array.isArray(value)) return value.map(stripEchoes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('kompose.'))
      .map(([key, v]) => [key, stripEchoes(v)]),
  );
}

const honoured = { ours: [], kompose: [] };
const failed = { ours: [], kompose: [] };
for (const [label, [value, companions]] of Object.entries(CASES)) {
  progress(label);
  for (const tool of ['ours', 'kompose']) {
    const without = convert(tool, companions);
    const withLabel = convert(tool, { ...companions, [label]: value });
    if (withLabel === null) failed[tool].push(label);
    else if (without !== withLabel) honoured[tool].push(label);
  }
}
const labels = Object.keys(CASES);
const report = {
  labels: labels.length,
  ours: { honoured: honoured.ours.length, failed: failed.ours },
  kompose: { version: spawnSync(KOMPOSE, ['version'], { encoding: 'utf8' }).stdout.trim(), honoured: honoured.kompose.length, failed: failed.kompose },
  onlyOurs: honoured.ours.filter((l) => !honoured.kompose.includes(l)),
  onlyKompose: honoured.kompose.filter((l) => !honoured.ours.includes(l)),
};
if (flags.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`${labels.length} kompose labels, each converted with and without it by both tools:`);
  console.log(`  qed-bootstrap convert   honours ${report.ours.honoured}/${labels.length}${failed.ours.length ? `; refused ${failed.ours.length}: ${failed.ours.join(', ')}` : ''}`);
  console.log(`  kompose ${report.kompose.version.padEnd(15)} honours ${report.kompose.honoured}/${labels.length}${failed.kompose.length ? `; failed ${failed.kompose.length}: ${failed.kompose.join(', ')}` : ''}`);
  if (report.onlyOurs.length) console.log(`  only qed-bootstrap: ${report.onlyOurs.join(', ')}`);
  if (report.onlyKompose.length) console.log(`  only kompose: ${report.onlyKompose.join(', ')}`);
}
