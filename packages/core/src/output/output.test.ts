import { describe, expect, it } from 'vitest';
import { Output, formatTable } from './output.js';
import { resolveOutputMode } from './output-mode.js';

const tty = { stdoutIsTTY: true, stdinIsTTY: true };
const pipe = { stdoutIsTTY: false, stdinIsTTY: false };

describe('resolveOutputMode', () => {
  it.each([
    ['a terminal', {}, {}, tty, { color: true, interactive: true }],
    ['NO_COLOR set', {}, { NO_COLOR: '1' }, tty, { color: false, interactive: true }],
    ['NO_COLOR empty (ignored per no-color.org)', {}, { NO_COLOR: '' }, tty, { color: true }],
    ['--no-color', { color: false }, {}, tty, { color: false }],
    ['a pipe', {}, {}, pipe, { color: false, interactive: false }],
    ['FORCE_COLOR on a pipe', {}, { FORCE_COLOR: '1' }, pipe, { color: true }],
    ['TERM=dumb', {}, { TERM: 'dumb' }, tty, { color: false }],
    ['CI=true', {}, { CI: 'true' }, tty, { interactive: false, ci: true }],
    ['CI=false', {}, { CI: 'false' }, tty, { interactive: true, ci: false }],
    ['--yes', { yes: true }, {}, tty, { interactive: false }],
    ['--json', { json: true }, {}, tty, { json: true, color: false, interactive: false }],
  ])('%s', (_name, flags, env, terminal, expected) => {
    expect(resolveOutputMode(flags, env, terminal)).toMatchObject(expected);
  });
});

describe('Output', () => {
  function capture(flags: Parameters<typeof resolveOutputMode>[0], terminal = pipe) {
    const out: string[] = [];
    const err: string[] = [];
    const output = new Output(resolveOutputMode(flags, {}, terminal), { write: (s) => out.push(s) }, { write: (s) => err.push(s) });
    return { output, out, err };
  }

  it('keeps stdout pure JSON under --json', () => {
    const { output, out, err } = capture({ json: true });
    output.info('working');
    output.result('table');
    output.warn('careful');
    output.json({ ok: true });
    expect(JSON.parse(out.join(''))).toEqual({ ok: true });
    expect(err.join('')).toBe('warning: careful\n');
  });

  it('--quiet silences progress but not results or errors', () => {
    const { output, out, err } = capture({ quiet: true });
    output.info('working');
    output.warn('careful');
    output.result('the report');
    output.error('broken');
    expect(out.join('')).toBe('the report\n');
    expect(err.join('')).toBe('error: broken\n');
  });

  it('paints only when colour is on', () => {
    expect(capture({}, pipe).output.paint('red', 'x')).toBe('x');
    expect(capture({}, tty).output.paint('red', 'x')).toBe('\u001b[31mx\u001b[39m');
  });
});

describe('formatTable', () => {
  it('aligns columns by visible width, ignoring colour codes', () => {
    expect(formatTable(['ID', 'STATUS'], [['docker', '\u001b[31mfail\u001b[39m'], ['go', 'ok']])).toBe(
      'ID      STATUS\ndocker  \u001b[31mfail\u001b[39m\ngo      ok',
    );
  });
});
