#!/usr/bin/env node
// The published package (issue 16), measured as a user gets it: `npm pack` of
// packages/qed-bootstrap, installed with `npm install --global --prefix` into an
// empty prefix (offline, a fresh cache: nothing but the tarball may be needed).
// Prints three figures against peers measured in the same run; asserts nothing:
//   - install: wall time and the number of packages it puts in the prefix (goal: one, nothing to fetch);
//   - `qed-bootstrap --help` from that install against `node -e 0` (goal <= 1.5x), and the
//     same from the repository's tsc build, for comparison;
//   - `convert` per file: see bench/convert.mjs, which runs the bundle against kompose.
//   node bench/package.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
const RUNS = Number(flags.runs);
const root = fileURLToPath(new URL('..', import.meta.url));
const packageDir = path.join(root, 'packages/qed-bootstrap');
const work = mkdtempSync(path.join(os.tmpdir(), 'qed-bench-package-'));
const progress = (m) => process.stderr.write(`[bench] ${m}\n`);
const env = { ...process.env, PATH: [path.dirname(process.execPath), process.env.PATH].join(path.delimiter), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return { ms, stdout: result.stdout };
}

try {
  progress('building and packing packages/qed-bootstrap');
  timed('npm', ['run', 'build'], { cwd: packageDir });
  const packed = JSON.parse(timed('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir }).stdout)[0];
  const tarball = path.join(work, packed.filename);

  progress('installing it three times into empty prefixes');
  const installs = [];
  let prefix = '';
  for (let i = 0; i < 3; i++) {
    prefix = path.join(work, `prefix-${i}`);
    const cache = path.join(work, `cache-${i}`);
    installs.push(timed('npm', ['install', '--global', '--offline', '--prefix', prefix, '--cache', cache, tarball], { cwd: work }).ms);
  }
  const installed = path.join(prefix, 'lib/node_modules');
  const packages = readdirSync(installed).length + readdirSync(path.join(installed, 'qed-bootstrap')).filter((f) => f === 'node_modules').length;

  progress(`--help, ${RUNS} runs each`);
  const helpMs = (args) => {
    spawnSync(process.execPath, args, { env }); // warm the file cache (and the compile cache)
    return median(Array.from({ length: RUNS }, () => timed(process.execPath, args).ms));
  };
  const floor = helpMs(['-e', '0']);
  const packedHelp = helpMs([path.join(installed, 'qed-bootstrap/bin/qed-bootstrap.js'), '--help']);
  const repoHelp = helpMs([path.join(root, 'packages/cli/bin/qed-bootstrap.js'), '--help']);

  console.log(`qed-bootstrap ${packed.version}: ${packed.filename}, ${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked, ${packed.entryCount} files`);
  console.log(`  install (npm install --global --offline into an empty prefix), median of 3: ${median(installs).toFixed(0)} ms; packages in the prefix: ${packages} (goal: 1, nothing fetched)`);
  console.log(`  node ${process.version}, --help medians over ${RUNS} runs:`);
  console.log(`    node -e 0 (floor)                   ${floor.toFixed(1)} ms`);
  console.log(`    qed-bootstrap --help, installed     ${packedHelp.toFixed(1)} ms   ${(packedHelp / floor).toFixed(2)}x the floor (goal <= 1.5x)`);
  console.log(`    qed-bootstrap --help, repo (tsc)    ${repoHelp.toFixed(1)} ms   ${(repoHelp / floor).toFixed(2)}x the floor`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
