import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What vitest's `json` reporter writes, as far as the summary reads it. */
export interface VitestJsonReport {
  testResults?: Array<{
    /** The test file's absolute path. */
    name: string;
    status: string;
    /** Why a file failed as a whole (an import error, a failed hook). */
    message?: string;
    assertionResults?: Array<{ fullName: string; status: string; failureMessages?: string[] }>;
  }>;
}

export type TestReport = { project: string; report: VitestJsonReport } | { project: string; unreadable: string };

/** Each package's JSON report in the folder (one file per package, named after its folder: packages-cli.json …). */
export function readTestReports(dir: string): TestReport[] {
  const reports: TestReport[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const project = name.replace(/\.json$/, '');
    try {
      reports.push({ project, report: JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as VitestJsonReport });
    } catch (error) {
      reports.push({ project, unreadable: (error as Error).message });
    }
  }
  return reports;
}

const MAX_FAILURES_SHOWN = 8;
const MAX_LINES_PER_FAILURE = 12;

/**
 * The failed tests and test files of every report, short enough for the tail of a CI
 * log: each with its package and file, and the first lines of its error.
 */
export function failureSummary(reports: readonly TestReport[], repoRoot: string): string {
  const failures: Array<{ where: string; what: string; message: string }> = [];
  for (const entry of reports) {
    if ('unreadable' in entry) {
      failures.push({ where: entry.project, what: 'its test report', message: `unreadable: ${entry.unreadable}` });
      continue;
    }
    for (const file of entry.report.testResults ?? []) {
      const where = `${entry.project}: ${path.relative(repoRoot, file.name)}`;
      const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
      for (const test of failedTests) failures.push({ where, what: test.fullName, message: (test.failureMessages ?? []).join('\n') });
      if (file.status === 'failed' && failedTests.length === 0) failures.push({ where, what: 'the file as a whole', message: file.message ?? '' });
    }
  }
  const lines = ['', '=== the run failed ==='];
  if (failures.length === 0) {
    lines.push(
      'No test failed in the test reports: a build or lint task failed, or a test run ended before it reported.',
      'nx names the task above ("Failed tasks"); its own lines, prefixed with its project, say why.',
    );
    return lines.join('\n');
  }
  const shown = failures.slice(0, MAX_FAILURES_SHOWN);
  lines.push(`${failures.length} failed test${failures.length === 1 ? '' : 's'}${failures.length > shown.length ? ` (the first ${shown.length} here)` : ''}:`);
  for (const failure of shown) {
    lines.push(`- ${failure.where}`, `  ${failure.what}`);
    // Colour codes and the stack's frames in vitest and Node's internals say nothing here.
    const messageLines = stripAnsi(failure.message)
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^\s*at .*(node_modules|node:internal|<anonymous>)/.test(line));
    for (const line of messageLines.slice(0, MAX_LINES_PER_FAILURE)) lines.push(`    ${line}`);
    if (messageLines.length > MAX_LINES_PER_FAILURE) lines.push(`    … ${messageLines.length - MAX_LINES_PER_FAILURE} more lines in the task's output above`);
  }
  return lines.join('\n');
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is matched.
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
