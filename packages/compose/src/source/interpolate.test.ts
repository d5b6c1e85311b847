import { describe, expect, it } from 'vitest';
import { InterpolationError, interpolateString } from './interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', PORT: '8080' };
const lookup = (name: string) => env[name];

describe('interpolateString, as docker compose interpolates', () => {
  it.each([
    ['plain text', 'plain text', []],
    ['$SET and ${SET}', 'value and value', []],
    ['$$SET is literal', '$SET is literal', []],
    ['${UNSET}', '', ['UNSET']],
    ['${UNSET:-fallback}', 'fallback', []],
    ['${EMPTY:-fallback}', 'fallback', []],
    ['${EMPTY-fallback}', '', []],
    ['${UNSET-fallback}', 'fallback', []],
    ['${SET:+alt}', 'alt', []],
    ['${EMPTY:+alt}', '', []],
    ['${EMPTY+alt}', 'alt', []],
    ['${UNSET+alt}', '', []],
    ['${UNSET:-${PORT}}', '8080', []],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep', []],
    ['http://host:${PORT}/x', 'http://host:8080/x', []],
    ['cost $5 and $ alone', 'cost $5 and $ alone', []],
    ['${MYSQL_ROOT_PASSWORD:-""}', '""', []],
  ])('%s -> %s', (input, value, unset) => {
    expect(interpolateString(input, lookup)).toEqual({ value, unset });
  });

  it('${VAR:?message} fails with the message when VAR is unset or empty, and ${VAR?m} only when unset', () => {
    expect(() => interpolateString('${UNSET:?set UNSET first}', lookup)).toThrow(new InterpolationError('required variable UNSET is unset: set UNSET first'));
    expect(() => interpolateString('${EMPTY:?needed}', lookup)).toThrow('required variable EMPTY is empty: needed');
    expect(interpolateString('${EMPTY?needed}', lookup).value).toBe('');
    expect(interpolateString('${SET:?needed}', lookup).value).toBe('value');
  });

  it('rejects malformed references with the text that is wrong', () => {
    expect(() => interpolateString('${UNCLOSED', lookup)).toThrow('"${" is never closed');
    expect(() => interpolateString('${1BAD}', lookup)).toThrow('does not start with a variable name');
    expect(() => interpolateString('${SET*x}', lookup)).toThrow('unexpected "*x" after ${SET');
  });
});
