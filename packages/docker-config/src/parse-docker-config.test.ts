import { isQedError, type QedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import {
  detectIndent,
  lineAndColumn,
  parseDockerConfig,
  serializeDockerConfig,
} from './parse-docker-config.js';

function errorOf(fn: () => unknown): QedError {
  try {
    fn();
  } catch (error) {
    if (isQedError(error)) return error;
    throw error;
  }
  throw new Error('expected a QedError');
}

describe('parseDockerConfig', () => {
  it('names file, line and column of a syntax error, and quotes none of the text', () => {
    const text =
      '{\n\t"auths": {\n\t\t"ghcr.io": {"auth": "c2VjcmV0OnB3"}\n\t},\n\t"credsStore": "desktop",\n}\n';
    const error = errorOf(() => parseDockerConfig(text, '/h/.docker/config.json'));
    expect(error.code).toBe('DOCKER_CONFIG_MALFORMED');
    expect(error.message).toBe('/h/.docker/config.json is not valid JSON (line 6, column 1)');
    expect(error.data).toEqual({ file: '/h/.docker/config.json', line: 6, column: 1 });
    expect(JSON.stringify({ ...error.toJSON(), cause: String(error.cause) })).not.toContain('c2VjcmV0OnB3');
  });

  it('places a truncated file at its end', () => {
    expect(errorOf(() => parseDockerConfig('{\n  "auths": {', 'f')).message).toBe(
      'f is not valid JSON (line 2, column 13)',
    );
  });

  it('refuses JSON that is not an object', () => {
    expect(errorOf(() => parseDockerConfig('[]', 'f')).message).toBe('f does not hold a JSON object');
  });
});

describe('lineAndColumn', () => {
  it.each([
    [0, { line: 1, column: 1 }],
    [3, { line: 2, column: 1 }],
    [5, { line: 2, column: 3 }],
  ])('offset %i', (offset, expected) => {
    expect(lineAndColumn('ab\ncde', offset)).toEqual(expected);
  });
});

describe('serializeDockerConfig', () => {
  it("keeps docker's tab indent, a two-space indent and the final newline", () => {
    expect(detectIndent('{\n\t"a": 1\n}')).toBe('\t');
    expect(serializeDockerConfig({ a: 1 }, '{\n  "b": 2\n}\n')).toBe('{\n  "a": 1\n}\n');
    expect(serializeDockerConfig({ a: 1 }, '{}')).toBe('{\n\t"a": 1\n}');
  });
});
