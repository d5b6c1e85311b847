import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { failureSummary, readTestReports } from './failure-summary.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const vitestBin = path.join(repoRoot, 'node_modules', '.bin', 'vitest');

/** A real vitest run over the given test files, its JSON report written as npm test has each package write one. */
async function reportOf(files: Record<string, string>): Promise<{ root: string; reportDir: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'summary-'));
  const reportDir = await mkdtemp(path.join(os.tmpdir(), 'reports-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, name), text);
  const run = spawnSync(vitestBin, ['run', '--root', root, '--reporter=json', `--outputFile=${path.join(reportDir, 'packages-demo.json')}`], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, QED_TEST_REPORT_DIR: '' },
  });
  expect(run.status, run.stderr).toBe(1);
  return { root, reportDir };
}

describe('the failure summary npm test prints at its end', () => {
  it('names each failed test with its package, file and the first lines of its error; a file that fails to load too; passing tests not at all', async () => {
    const { root, reportDir } = await reportOf({
      'a.test.ts': `import { describe, expect, it } from 'vitest';
describe('outer', () => {
  it('compares', () => { expect({ answer: 41 }).toEqual({ answer: 42 }); });
  it('passes', () => { expect(1).toBe(1); });
});
`,
      'b.test.ts': `import './missing-module.js';\n`,
    });
    const summary = failureSummary(readTestReports(reportDir), root);
    expect(summary).toContain('2 failed tests:');
    expect(summary).toContain('- packages-demo: a.test.ts\n  outer compares\n    AssertionError: expected { answer: 41 } to deeply equal { answer: 42 }');
    expect(summary).toMatch(/- packages-demo: b\.test\.ts\n {2}the file as a whole\n {4}.*missing-module\.js/);
    expect(summary).not.toContain('outer passes');
    expect(summary).not.toContain('node_modules');
    // Colour codes never reach a log's tail.
    expect(summary).not.toContain('\u001b[');
  });

  it('with many failures, shows the first eight and says how many there were; a long error is cut with a note', async () => {
    const tests = Array.from({ length: 10 }, (_, i) => `  it('t${i}', () => { throw new Error(${JSON.stringify(Array.from({ length: 20 }, (_, l) => `line ${l}`).join('\n'))}); });`);
    const { root, reportDir } = await reportOf({ 'many.test.ts': `import { describe, it } from 'vitest';\ndescribe('many', () => {\n${tests.join('\n')}\n});\n` });
    const summary = failureSummary(readTestReports(reportDir), root);
    expect(summary).toContain('10 failed tests (the first 8 here):');
    expect(summary).toContain('many t7');
    expect(summary).not.toContain('many t8');
    expect(summary).toContain('more lines in the task');
  });

  it('with no failed test in the reports, says a build or lint task (or a run that never reported) failed', () => {
    const summary = failureSummary([{ project: 'packages-demo', report: { testResults: [] } }], '/');
    expect(summary).toContain('No test failed in the test reports');
  });

  it('an unreadable report is named, not skipped', async () => {
    const reportDir = await mkdtemp(path.join(os.tmpdir(), 'reports-'));
    await writeFile(path.join(reportDir, 'tools-testenv.json'), '{ truncated');
    const summary = failureSummary(readTestReports(reportDir), '/');
    expect(summary).toMatch(/- tools-testenv\n {2}its test report\n {4}unreadable: /);
  });
});
