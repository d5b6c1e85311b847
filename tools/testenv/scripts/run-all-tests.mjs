#!/usr/bin/env node
// What `npm test` runs inside the test environment: every project's build, lint and
// test through nx, each vitest run also writing a JSON report (vitest.shared.ts,
// withFailureReport). When the run fails, the failed tests are repeated at the very
// end of the output, with their files and the first lines of their errors: a CI log
// is often read from its tail, and nx's "Failed tasks" list alone names only the task.
//
//   node tools/testenv/scripts/run-all-tests.mjs [nx run-many arguments...]
//
// Without arguments: -t build lint test --skip-nx-cache --outputStyle=stream (the
// cache skipped: every test really runs). Exit code: nx's.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureSummary, readTestReports } from '../dist/failure-summary.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const nxArgs = process.argv.length > 2 ? process.argv.slice(2) : ['-t', 'build', 'lint', 'test', '--skip-nx-cache', '--outputStyle=stream'];
const reportDir = mkdtempSync(path.join(os.tmpdir(), 'qed-test-report-'));
const nxBin = path.join(repoRoot, 'node_modules', '.bin', 'nx');

const nx = spawn(nxBin, ['run-many', ...nxArgs], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, QED_TEST_REPORT_DIR: reportDir } });
// Passed on (a signal sent to this process alone would not reach nx), and nx's end waited for.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (nx.exitCode === null && nx.signalCode === null) nx.kill(signal);
  });
}
nx.on('error', (error) => {
  console.error(`run-all-tests: could not run ${nxBin}: ${error.message}`);
  rmSync(reportDir, { recursive: true, force: true });
  process.exit(127);
});
nx.on('exit', (code, signal) => {
  try {
    if (code !== 0) console.error(failureSummary(readTestReports(reportDir), repoRoot));
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
  process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
});
