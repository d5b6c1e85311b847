#!/usr/bin/env node
// Start-up benchmark: median wall time of `qed-bootstrap --help` against the floor
// of `node -e 0`, both on the same Node binary in the same run. Goal (issue 2):
// <= 250 ms and <= 4x the floor. Prints figures and ratios; asserts nothing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const BIN = fileURLToPath(new URL('../packages/cli/bin/qed-bootstrap.js', import.meta.url));

function medianMs(args) {
  const times = [];
  spawnSync(process.execPath, args); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const floor = medianMs(['-e', '0']);
const help = medianMs([BIN, '--help']);
const ratio = help / floor;
console.log(`node ${process.version}, ${RUNS} runs each, medians:`);
console.log(`  node -e 0 (floor)        ${floor.toFixed(1)} ms`);
console.log(`  qed-bootstrap --help     ${help.toFixed(1)} ms`);
console.log(`  ratio to floor           ${ratio.toFixed(2)}x   (goal <= 4x)`);
console.log(`  absolute                 ${help <= 250 ? 'within' : 'OVER'} the 250 ms goal`);
