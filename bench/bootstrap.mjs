#!/usr/bin/env node
// Bootstrap benchmark (issue 8): the whole pipeline as the user runs it
// (`qed-bootstrap --yes --target context:<test cluster> --json`, a process, start-up
// included) from nothing to every workload ready, with two FROM-scratch images
// built and pushed into a fresh registry; then the same run again, unchanged.
// Prints wall time split by step (from the JSON events) against the waits no
// implementation can avoid: the API server answering a readiness probe, and
// pushing those images (measured alone with `docker push` of same-sized images).
// Asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessRunner } from '@qed/core';
import { connectCluster, probeCluster } from '@qed/kube';
import { acquireLease, testenvLayout } from 'testenv';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(root, 'packages/cli/bin/qed-bootstrap.js');
const progress = (m) => process.stderr.write(`[bench] ${m}\n`);
const lease = await acquireLease({ layout: testenvLayout(root), runner: new ProcessRunner(), progress });
const id = `${process.pid}-${Date.now().toString(36)}`;
const namespace = `qed-bench-bootstrap-${id}`;
const registryName = `registry-bench-${id}`;
const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-bench-bootstrap-'));
const env = { ...process.env, KUBECONFIG: lease.connection.KUBECONFIG, DOCKER_HOST: lease.connection.DOCKER_HOST, HOME: dir, CI: 'true' };
const sh = (command, args) => spawnSync(command, args, { env, encoding: 'utf8' });

/** The engine here treats 127.0.0.1 ports 5000-5099 as plain-HTTP registries. */
async function freePort() {
  for (let port = 5000 + (process.pid % 50); port < 5100; port++) {
    const free = await new Promise((resolve) => {
      const server = net.createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 5000-5099');
}

function pipeline() {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, '--yes', '--target', `context:${lease.connection.QED_TESTENV_CONTEXT}`, '--namespace', namespace, '--json'], { cwd: dir, env, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`the pipeline failed:\n${result.stdout}\n${result.stderr}`);
  const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  const steps = events.filter((e) => e.type === 'step' && e.status !== 'started').map((e) => ({ step: e.step, ms: e.durationMs, detail: e.detail }));
  return { wallMs, steps };
}

const port = await freePort();
const registry = `127.0.0.1:${port}`;
try {
  const images = [];
  for (const [name, source] of [['qed-nginx', 'quanted/qed_nginx:latest'], ['qed-django', 'quanted/qed-django:latest']]) {
    await mkdir(path.join(dir, 'images', name), { recursive: true });
    await writeFile(path.join(dir, 'images', name, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /\n');
    await writeFile(path.join(dir, 'images', name, 'app.txt'), `${name} ${id}\n`);
    images.push(`  - { name: bench-${id}/${name}, source: "${source}", context: ./images/${name} }`);
  }
  await writeFile(path.join(dir, 'qed.config.yaml'), `registry:\n  host: ${registry}\n  name: ${registryName}\nimages:\n${images.join('\n')}\ndataRoot: ./data\n`);

  const fresh = pipeline();
  const again = pipeline();

  // The unavoidable waits, measured alone: the API server's answer to a probe …
  const { api } = await connectCluster({ kubeconfig: lease.connection.KUBECONFIG, context: lease.connection.QED_TESTENV_CONTEXT });
  const probeStarted = performance.now();
  await probeCluster(api, 5000);
  const probeMs = performance.now() - probeStarted;
  // … and pushing two images of the same size and shape (new content, so the registry has none of it).
  let pushMs = 0;
  for (const name of ['push-a', 'push-b']) {
    const context = path.join(dir, 'push', name);
    await mkdir(context, { recursive: true });
    await writeFile(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /\n');
    await writeFile(path.join(context, 'app.txt'), `${name} ${id}\n`);
    const ref = `${registry}/bench-${id}/${name}:1`;
    if (sh('docker', ['build', '-q', '-t', ref, context]).status !== 0) throw new Error(`docker build ${ref} failed`);
    const started = performance.now();
    if (sh('docker', ['push', ref]).status !== 0) throw new Error(`docker push ${ref} failed`);
    pushMs += performance.now() - started;
    sh('docker', ['rmi', '-f', ref]);
  }
  const unavoidable = probeMs + pushMs;

  const line = (run) => run.steps.map((s) => `${s.step} ${s.ms}`).join(', ');
  console.log('the pipeline (as a process) on the test environment, context target, 2 FROM-scratch images + the QED set:');
  console.log(`  fresh      wall ${fresh.wallMs.toFixed(0)} ms; steps (ms): ${line(fresh)}`);
  console.log(`  unchanged  wall ${again.wallMs.toFixed(0)} ms; steps (ms): ${line(again)}`);
  const stepSum = fresh.steps.reduce((sum, s) => sum + s.ms, 0);
  console.log(`  start-up and between steps (fresh): ${(fresh.wallMs - stepSum).toFixed(0)} ms`);
  console.log(`  unavoidable waits: API server probe ${probeMs.toFixed(0)} ms + 2 pushes ${pushMs.toFixed(0)} ms = ${unavoidable.toFixed(0)} ms`);
  console.log(`  fresh wall / unavoidable = ${(fresh.wallMs / unavoidable).toFixed(1)}x; unchanged wall / unavoidable = ${(again.wallMs / unavoidable).toFixed(1)}x`);
} finally {
  sh('kubectl', ['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']);
  const pvs = sh('kubectl', ['get', 'pv', '-o', 'name']).stdout.split('\n').filter((pv) => pv.startsWith(`persistentvolume/${namespace}-`));
  if (pvs.length) sh('kubectl', ['delete', '--wait=false', ...pvs]);
  sh('docker', ['rm', '-f', registryName]);
  sh('docker', ['volume', 'rm', `${registryName}-data`]);
  await rm(dir, { recursive: true, force: true });
  await lease.release();
}
