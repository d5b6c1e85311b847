import { Output, QedError, resolveOutputMode } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { renderError } from './render-error.js';

function render(error: unknown, flags: { json?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const output = new Output(resolveOutputMode(flags, {}, { stdoutIsTTY: false, stdinIsTTY: false }), { write: (s) => out.push(s) }, { write: (s) => err.push(s) });
  renderError(error, output);
  return { out: out.join(''), err: err.join('') };
}

describe('renderError', () => {
  it('renders a QedError as message, fix and docs, without a stack', () => {
    const { out, err } = render(new QedError('REGISTRY_PORT_TAKEN', 'port 5000 is in use', { hint: 'Use --port 5001.', docsUrl: 'docs/registry.md' }));
    expect(err).toBe('error: port 5000 is in use\n');
    expect(out).toBe('  fix: Use --port 5001.\n  docs: docs/registry.md\n');
  });

  it('calls any other exception a bug and says where it happened', () => {
    const { err, out } = render(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(err).toMatch(/^error: unexpected internal error \(a bug in qed-bootstrap\): Cannot read properties/);
    expect(err).toMatch(/\n {2}at .*render-error\.test\.ts:\d+:\d+/);
    expect(out).toContain('--debug');
  });

  it('--json: one JSON error object on stdout', () => {
    const { out } = render(new QedError('X', 'broken', { hint: 'fix it' }), { json: true });
    expect(JSON.parse(out)).toEqual({ ok: false, error: { code: 'X', message: 'broken', hint: 'fix it' } });
  });
});
