import { describe, expect, it } from 'vitest';
import type { DoctorReport } from './check-types.js';
import { doctorReportJson, formatDoctorReport } from './doctor-report.js';

const REPORT: DoctorReport = {
  ok: false,
  checks: [
    {
      id: 'docker',
      title: 'Docker engine',
      status: 'fail',
      version: '28.2.2',
      required: 'a running engine',
      detail: 'client 28.2.2; the engine is not reachable via context default',
      hint: 'Start the engine: sudo systemctl start docker.',
    },
    {
      id: 'kubectl',
      title: 'kubectl',
      status: 'ok',
      version: '1.34.1',
      required: 'within one minor version of the cluster',
      detail: 'client 1.34.1; no cluster reachable',
      hint: null,
    },
    {
      id: 'go',
      title: 'Go toolchain',
      status: 'skip',
      version: null,
      required: null,
      detail: 'not installed; optional',
      hint: 'Only if you compile from source: brew install go.',
    },
    {
      id: 'memory',
      title: 'Memory',
      status: 'warn',
      version: null,
      required: '8.0 GiB for the cluster + 2.0 GiB for the host',
      detail: '9.0 GiB in total',
      hint: 'Close other programs.',
    },
    {
      id: 'kompose',
      title: 'kompose',
      status: 'skip',
      version: null,
      required: null,
      detail: 'not installed; not needed',
      hint: null,
    },
  ],
};

const plain = (_style: string, text: string) => text;

describe('formatDoctorReport', () => {
  it('prints the table, then the fixes for what is not ok', () => {
    expect(formatDoctorReport(REPORT, plain)).toMatchInlineSnapshot(`
      "STATUS  CHECK          VERSION  REQUIRED                                        DETAIL
      fail    Docker engine  28.2.2   a running engine                                client 28.2.2; the engine is not reachable via context default
      ok      kubectl        1.34.1   within one minor version of the cluster         client 1.34.1; no cluster reachable
      skip    Go toolchain   -        -                                               not installed; optional
      warn    Memory         -        8.0 GiB for the cluster + 2.0 GiB for the host  9.0 GiB in total
      skip    kompose        -        -                                               not installed; not needed

      Fixes:
        - Docker engine: Start the engine: sudo systemctl start docker.
        - Go toolchain: Only if you compile from source: brew install go.
        - Memory: Close other programs."
    `);
  });

  it('paints statuses by meaning and the headings bold', () => {
    const tagged = formatDoctorReport(REPORT, (style, text) => `<${style}>${text}</${style}>`);
    expect(tagged).toContain('<bold>STATUS</bold>');
    expect(tagged).toContain('<red>fail</red>');
    expect(tagged).toContain('<green>ok</green>');
    expect(tagged).toContain('<yellow>warn</yellow>');
    expect(tagged).toContain('<gray>skip</gray>');
    expect(tagged).toContain('<bold>Fixes:</bold>');
    expect(tagged).toContain('<red>-</red> Docker engine');
    expect(tagged).toContain('<yellow>-</yellow> Memory');
  });

  it('keeps the columns aligned when painted', () => {
    const ansi = formatDoctorReport(REPORT, (_style, text) => `\u001b[31m${text}\u001b[39m`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the ANSI codes this test adds
    const stripped = ansi.replace(/\u001b\[\d+m/g, '');
    expect(stripped).toBe(formatDoctorReport(REPORT, plain));
  });

  it('is only the table when nothing needs fixing', () => {
    const allOk: DoctorReport = { ok: true, checks: REPORT.checks.filter((c) => c.status === 'ok') };
    const text = formatDoctorReport(allOk, plain);
    expect(text).not.toContain('Fixes:');
    expect(text.split('\n')).toHaveLength(2);
  });
});

describe('doctorReportJson', () => {
  it('keeps every field, in a stable key order', () => {
    const json = doctorReportJson(REPORT);
    expect(json.ok).toBe(false);
    expect(json.checks).toHaveLength(5);
    expect(Object.keys(json.checks[0] ?? {})).toEqual([
      'id',
      'status',
      'version',
      'required',
      'hint',
      'title',
      'detail',
    ]);
    expect(json.checks[3]).toEqual({
      id: 'memory',
      status: 'warn',
      version: null,
      required: '8.0 GiB for the cluster + 2.0 GiB for the host',
      hint: 'Close other programs.',
      title: 'Memory',
      detail: '9.0 GiB in total',
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
