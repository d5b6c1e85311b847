#!/usr/bin/env node
// Doctor benchmark: wall time of the whole doctor (all checks, concurrently)
// against the slowest single check run alone, on this machine's real tools, in
// the same run. Goal (issue 2): <= 1.3x. Prints figures and the ratio; asserts nothing.
import os from 'node:os';
import { defaultQedConfig, detectPlatform, ProcessRunner } from '@qed/core';
import { defaultChecks, nodeCheckContext, runCheck, runDoctor } from '@qed/env-check';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const env = { ...process.env };
const runner = new ProcessRunner({ env });
const platform = await detectPlatform();
const ctx = nodeCheckContext({ runner, platform, config: defaultQedConfig(os.homedir()), env });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

await runDoctor(ctx); // warm caches (binaries, PATH lookups)
const alone = {};
for (const check of defaultChecks) {
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) samples.push(await time(() => runCheck(check, ctx)));
  alone[check.id] = median(samples);
}
const doctorSamples = [];
for (let i = 0; i < ROUNDS; i++) doctorSamples.push(await time(() => runDoctor(ctx)));
const doctor = median(doctorSamples);
const [slowestId, slowest] = Object.entries(alone).sort((a, b) => b[1] - a[1])[0];

console.log(`${ROUNDS} rounds, medians, ${os.cpus().length} CPUs:`);
for (const [id, ms] of Object.entries(alone)) console.log(`  ${id.padEnd(16)} alone ${ms.toFixed(1).padStart(7)} ms`);
console.log(`  slowest single probe: ${slowestId} ${slowest.toFixed(1)} ms`);
console.log(`  whole doctor:         ${doctor.toFixed(1)} ms`);
console.log(`  ratio to slowest probe ${(doctor / slowest).toFixed(2)}x   (goal <= 1.3x)`);
