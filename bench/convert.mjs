#!/usr/bin/env node
// Convert benchmark: every compose file of the shared QED corpus (shared/ beside
// the repository) through `qed-bootstrap convert` and through kompose, one CLI
// process per file each, interleaved per file (who goes first alternates) so
// machine noise hits both, each in a fresh temp dir that is also its cwd. kompose
// is built first from its Go module by tools/testenv/scripts/build-kompose.sh
// (cached in ~/.cache/qed-testenv/bin). Goal: total wall time <= 1.0x kompose's.
// Prints totals, the ratio, how many files each converts (exit 0) and the files
// where exactly one of them failed; asserts nothing.
// `ours` is the published bundle (packages/qed-bootstrap, what `npx qed-bootstrap`
// runs; built first); --bin repo measures the repository's tsc build instead.
//   node bench/convert.mjs [--rounds N] [--json] [--bin package|repo]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({
  options: { rounds: { type: 'string', default: '1' }, json: { type: 'boolean', default: false }, bin: { type: 'string', default: 'package' } },
});
const ROUNDS = Number(flags.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  process.stderr.write(`--rounds must be a whole number >= 1, got ${flags.rounds}\n`);
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = fileURLToPath(new URL('../../shared/corpus/compose/', import.meta.url));
if (flags.bin !== 'package' && flags.bin !== 'repo') {
  process.stderr.write(`--bin must be package or repo, got ${flags.bin}\n`);
  process.exit(2);
}
if (flags.bin === 'package') {
  const bundled = spawnSync('npm', ['run', 'build'], { cwd: path.join(root, 'packages/qed-bootstrap'), stdio: ['ignore', 'ignore', 'inherit'] });
  if (bundled.status !== 0) process.exit(1);
}
const BIN = path.join(root, flags.bin === 'package' ? 'packages/qed-bootstrap/bin/qed-bootstrap.js' : 'packages/cli/bin/qed-bootstrap.js');
const progress = (m) => process.stderr.write(`[bench] ${m}\n`);

// Builds kompose on a fresh machine, reuses the cached binary otherwise; logs go to our stderr.
const build = spawnSync('bash', [path.join(root, 'tools/testenv/scripts/build-kompose.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (build.status !== 0) {
  process.stderr.write(`[bench] building kompose failed (exit ${build.status}); see the log above\n`);
  process.exit(1);
}
const KOMPOSE = build.stdout.trim().split('\n').at(-1);
const komposeVersion = spawnSync(KOMPOSE, ['version'], { encoding: 'utf8' }).stdout.trim();

const files = readdirSync(corpus)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
if (files.length === 0) {
  process.stderr.write(`[bench] no compose files in ${corpus}\n`);
  process.exit(1);
}

// kompose colours its log lines even into a pipe.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const plain = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
// The first line of stderr, except that kompose logs warnings before its fatal line
// (or a Go panic): prefer that one.
function firstErrorLine(stderr) {
  const lines = plain(stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /^(FATA|ERRO|error|panic)\b/i.test(l)) ?? lines[0] ?? '(no stderr)';
}

function timed(command, args) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qed-bench-convert-'));
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args(dir), { cwd: dir, env: process.env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ms, ok: result.status === 0, stderr: result.error ? String(result.error) : result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const sides = {
  ours: (file) => timed(process.execPath, (dir) => [BIN, 'convert', '-f', file, '-o', dir, '--yes']),
  kompose: (file) => timed(KOMPOSE, (dir) => ['convert', '-f', file, '-o', dir]),
};

// Per side and file: time summed over rounds; converted only when every round exits 0.
const stats = { ours: new Map(), kompose: new Map() };
for (let round = 0; round < ROUNDS; round++) {
  progress(`round ${round + 1}/${ROUNDS}: ${files.length} files`);
  files.forEach((name, i) => {
    const file = path.join(corpus, name);
    const order = (round + i) % 2 === 0 ? ['ours', 'kompose'] : ['kompose', 'ours'];
    for (const side of order) {
      const r = sides[side](file);
      const s = stats[side].get(name) ?? { ms: 0, ok: true, error: null };
      s.ms += r.ms;
      if (!r.ok && s.ok) Object.assign(s, { ok: false, error: firstErrorLine(r.stderr) });
      stats[side].set(name, s);
    }
  });
}

const total = (side, only = files) => only.reduce((sum, f) => sum + stats[side].get(f).ms, 0);
const converted = (side) => files.filter((f) => stats[side].get(f).ok);
const bothOk = files.filter((f) => stats.ours.get(f).ok && stats.kompose.get(f).ok);
const onlyOneFailed = files
  .filter((f) => stats.ours.get(f).ok !== stats.kompose.get(f).ok)
  .map((f) => {
    const failed = stats.ours.get(f).ok ? 'kompose' : 'ours';
    return { file: f, failed, stderr: stats[failed].get(f).error };
  });
const report = {
  files: files.length,
  rounds: ROUNDS,
  kompose: {
    version: komposeVersion,
    binary: KOMPOSE,
    totalMs: total('kompose'),
    converted: converted('kompose').length,
  },
  ours: { bin: flags.bin, totalMs: total('ours'), converted: converted('ours').length },
  ratio: total('ours') / total('kompose'),
  // Fast failures make the plain ratio flatter us; this one counts only files both convert.
  bothConverted: bothOk.length,
  ratioBothConverted: bothOk.length ? total('ours', bothOk) / total('kompose', bothOk) : null,
  onlyOneFailed,
};

if (flags.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const ms = (x) => `${x.toFixed(0)} ms`;
  console.log(
    `${files.length} compose files (shared corpus), ${ROUNDS} round(s), one process per file, totals over all rounds:`,
  );
  console.log(
    `  qed-bootstrap convert (${flags.bin === 'package' ? 'bundle' : 'repo'}) ${ms(report.ours.totalMs).padStart(9)}   converts ${report.ours.converted}/${files.length}`,
  );
  console.log(
    `  kompose ${komposeVersion.padEnd(19)} ${ms(report.kompose.totalMs).padStart(9)}   converts ${report.kompose.converted}/${files.length}`,
  );
  console.log(`  ratio ${report.ratio.toFixed(2)}x (goal <= 1.0x)`);
  console.log(
    report.ratioBothConverted === null
      ? '  ratio over files both convert: n/a (no file converted by both)'
      : `  ratio over the ${bothOk.length} files both convert: ${report.ratioBothConverted.toFixed(2)}x`,
  );
  if (onlyOneFailed.length) {
    console.log(`  ${onlyOneFailed.length} file(s) where exactly one failed:`);
    for (const o of onlyOneFailed)
      console.log(`    ${o.file}: ${o.failed === 'ours' ? 'qed-bootstrap' : 'kompose'} failed: ${o.stderr}`);
  }
}
