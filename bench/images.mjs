#!/usr/bin/env node
// Images benchmark (issue 6): three FROM-scratch images built and pushed into the
// real test registry (first run), then the same plan + apply again with nothing
// changed (second run), in one process. Goal: the unchanged run takes <= 10% of
// the first. Prints both and the ratio; asserts nothing.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultQedConfig, ProcessRunner } from '@qed/core';
import { applyImages, planImages } from '@qed/images';
import { acquireLease, testenvLayout } from 'testenv';

const root = fileURLToPath(new URL('..', import.meta.url));
const lease = await acquireLease({ layout: testenvLayout(root), runner: new ProcessRunner(), progress: (m) => process.stderr.write(`[bench] ${m}\n`) });
const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-bench-images-'));
try {
  const images = [];
  for (const name of ['web', 'api', 'worker']) {
    const context = path.join(dir, name);
    await mkdir(context);
    await writeFile(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
    await writeFile(path.join(context, 'app.txt'), `${name} ${process.pid} ${Date.now()}\n`);
    images.push({ name: `qed-bench/${name}-${process.pid}`, source: `quanted/${name}:latest`, context });
  }
  const config = { ...defaultQedConfig(os.homedir()), registry: { host: lease.connection.QED_TEST_REGISTRY, name: 'bench' }, images };
  const deps = { runner: new ProcessRunner({ env: { ...process.env, DOCKER_HOST: lease.connection.DOCKER_HOST } }), env: { ...process.env, DOCKER_HOST: lease.connection.DOCKER_HOST } };
  const run = async () => {
    const started = performance.now();
    const results = await applyImages(await planImages(config), deps);
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length) throw new Error(`images failed: ${failed.map((r) => r.error?.message).join('; ')}`);
    return { ms: performance.now() - started, statuses: results.map((r) => r.status).join(',') };
  };
  const first = await run();
  const second = await run();
  console.log('three FROM-scratch images, real engine and registry, one process:');
  console.log(`  first run (build + push)   ${first.ms.toFixed(0)} ms   [${first.statuses}]`);
  console.log(`  second run (unchanged)     ${second.ms.toFixed(1)} ms   [${second.statuses}]`);
  console.log(`  ratio ${((second.ms / first.ms) * 100).toFixed(1)}%   (goal <= 10%)`);
} finally {
  await rm(dir, { recursive: true, force: true });
  await lease.release();
}
