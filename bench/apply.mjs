#!/usr/bin/env node
// Apply benchmark (issue 4): the whole rendered QED set into a fresh namespace with
// `qed-bootstrap apply` and with `kubectl apply -f DIR` — same objects, same cluster
// (the real test environment), same run, alternating — then a re-apply that changes
// nothing, for both. Both run as processes, start-up included. Goal: <= 0.5x
// kubectl's wall time for each. Prints figures and ratios; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessRunner } from '@qed/core';
import { planRender, QED_MANIFESTS_DIR, requiredSecretKeys, writeRender } from '@qed/manifests';
import { acquireLease, testenvLayout } from 'testenv';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(root, 'packages/cli/bin/qed-bootstrap.js');
const progress = (m) => process.stderr.write(`[bench] ${m}\n`);
const lease = await acquireLease({ layout: testenvLayout(root), runner: new ProcessRunner(), progress });
const env = { ...process.env, ...lease.connection, CI: 'true' };

// The aws profile: no cluster-scoped PersistentVolumes, so namespaces do not collide.
// Every folder rendered into, removed at the end however the bench ends.
const folders = [];
async function renderInto(namespace) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-bench-apply-'));
  folders.push(dir);
  const keys = await requiredSecretKeys(QED_MANIFESTS_DIR);
  const plan = await planRender({
    manifestsDir: QED_MANIFESTS_DIR,
    profile: 'aws',
    namespace,
    dataRoot: '/tmp/qed-bench-data',
    hostOs: 'linux',
    images: [],
    secrets: Object.fromEntries(keys.map((k) => [k, 'bench-only-value'])),
  });
  await writeRender(plan, dir);
  return { dir, objects: plan.objects.length };
}

function timed(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return ms;
}
const ours = (dir, ns) => timed(process.execPath, [BIN, 'apply', '--dir', dir, '--namespace', ns, '--quiet']);
const kubectl = (dir) => timed('kubectl', ['apply', '-f', dir]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const samples = { oursFresh: [], kubectlFresh: [], oursNoop: [], kubectlNoop: [] };
const namespaces = [];
let count = 0;
try {
  for (let round = 0; round < ROUNDS; round++) {
    const nsOurs = `qed-bench-ours-${process.pid}-${round}`;
    const nsKubectl = `qed-bench-kubectl-${process.pid}-${round}`;
    namespaces.push(nsOurs, nsKubectl);
    const a = await renderInto(nsOurs);
    const b = await renderInto(nsKubectl);
    count = a.objects;
    // Alternate who goes first, so neither always meets a warmer server.
    if (round % 2 === 0) {
      samples.oursFresh.push(ours(a.dir, nsOurs));
      samples.kubectlFresh.push(kubectl(b.dir));
    } else {
      samples.kubectlFresh.push(kubectl(b.dir));
      samples.oursFresh.push(ours(a.dir, nsOurs));
    }
    samples.oursNoop.push(ours(a.dir, nsOurs));
    samples.kubectlNoop.push(kubectl(b.dir));
  }
} finally {
  spawnSync('kubectl', ['delete', 'namespace', '--wait=false', ...namespaces], { env });
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
  await lease.release();
}

const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
console.log(`${count} objects (the QED set, aws profile), ${ROUNDS} rounds, medians, both as processes:`);
console.log(`  fresh namespace   qed-bootstrap apply ${m.oursFresh.toFixed(0)} ms   kubectl apply -f ${m.kubectlFresh.toFixed(0)} ms   ratio ${(m.oursFresh / m.kubectlFresh).toFixed(2)}x (goal <= 0.5x)`);
console.log(`  no-op re-apply    qed-bootstrap apply ${m.oursNoop.toFixed(0)} ms   kubectl apply -f ${m.kubectlNoop.toFixed(0)} ms   ratio ${(m.oursNoop / m.kubectlNoop).toFixed(2)}x (goal <= 0.5x)`);
