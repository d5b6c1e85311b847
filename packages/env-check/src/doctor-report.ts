import { formatTable } from '@qed/core';
import type { CheckFacts, CheckResult, CheckStatus, DoctorReport } from './check-types.js';

export type PaintStyle = 'green' | 'yellow' | 'red' | 'gray' | 'bold';
export type Paint = (style: PaintStyle, text: string) => string;

export interface DoctorReportJson {
  ok: boolean;
  checks: Array<{
    id: string;
    status: CheckStatus;
    version: string | null;
    required: string | null;
    hint: string | null;
    title: string;
    detail: string;
    /** Only where the check found some (hyperv: the switches it listed). */
    facts?: CheckFacts;
  }>;
}

/** The --json shape: stable keys in a stable order, so output diffs cleanly. */
export function doctorReportJson(report: DoctorReport): DoctorReportJson {
  return {
    ok: report.ok,
    checks: report.checks.map((c) => ({
      id: c.id,
      status: c.status,
      version: c.version,
      required: c.required,
      hint: c.hint,
      title: c.title,
      detail: c.detail,
      ...(c.facts ? { facts: c.facts } : {}),
    })),
  };
}

const STATUS_STYLE: Readonly<Record<CheckStatus, PaintStyle>> = {
  ok: 'green',
  warn: 'yellow',
  fail: 'red',
  skip: 'gray',
};

/**
 * The table a person reads, then what to do about each check that is not ok. The
 * verdict is the caller's: the CLI words it with the command to run next.
 */
export function formatDoctorReport(report: DoctorReport, paint: Paint): string {
  const table = formatTable(
    ['STATUS', 'CHECK', 'VERSION', 'REQUIRED', 'DETAIL'].map((h) => paint('bold', h)),
    report.checks.map((c) => [
      paint(STATUS_STYLE[c.status], c.status),
      c.title,
      c.version ?? '-',
      c.required ?? '-',
      c.detail,
    ]),
  );
  const fixes = report.checks.filter(
    (c): c is CheckResult & { hint: string } => c.status !== 'ok' && c.hint !== null,
  );
  const sections = [table];
  if (fixes.length > 0) {
    sections.push(
      [
        paint('bold', 'Fixes:'),
        ...fixes.map((c) => `  ${paint(STATUS_STYLE[c.status], '-')} ${c.title}: ${c.hint}`),
      ].join('\n'),
    );
  }
  return sections.join('\n\n');
}
