import { describe, expect, it } from 'vitest';
import { type Version, compareVersions, minorDistance, parseVersion } from './version.js';

function v(text: string): Version {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`test version does not parse: ${text}`);
  return parsed;
}

describe('parseVersion', () => {
  it.each([
    ['v1.37.0', { major: 1, minor: 37, patch: 0, prerelease: [], text: '1.37.0' }],
    ['1.34.0', { major: 1, minor: 34, patch: 0, prerelease: [], text: '1.34.0' }],
    ['v1.38.0-beta.0', { major: 1, minor: 38, patch: 0, prerelease: ['beta', '0'], text: '1.38.0-beta.0' }],
    ['v1.34.0-rc.1', { major: 1, minor: 34, patch: 0, prerelease: ['rc', '1'], text: '1.34.0-rc.1' }],
    [
      'v1.32.4-dispatcher',
      { major: 1, minor: 32, patch: 4, prerelease: ['dispatcher'], text: '1.32.4-dispatcher' },
    ],
    ['v1.23.6+k3s1', { major: 1, minor: 23, patch: 6, prerelease: [], text: '1.23.6' }],
    ['1.26', { major: 1, minor: 26, patch: 0, prerelease: [], text: '1.26' }],
    [' v1.33.0\n', { major: 1, minor: 33, patch: 0, prerelease: [], text: '1.33.0' }],
  ])('%j', (text, expected) => {
    expect(parseVersion(text)).toEqual(expected);
  });

  it.each(['', 'latest', 'v1', 'go1.26.8', '7.1.4r165100'])('rejects %j', (text) => {
    expect(parseVersion(text)).toBeNull();
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.33.0', '1.33.0', 0],
    ['1.32.9', '1.33.0', -1],
    ['1.37.0', '1.33.0', 1],
    ['2.0.0', '1.99.99', 1],
    ['1.38.0-beta.0', '1.33.0', 1],
    ['1.33.0-beta.0', '1.33.0', -1],
    ['1.33.0-alpha', '1.33.0-beta', -1],
    ['1.33.0-beta.2', '1.33.0-beta.11', -1],
    ['1.33.0-beta', '1.33.0-beta.1', -1],
    ['1.33.0-1', '1.33.0-alpha', -1],
  ])('%s vs %s is %i', (a, b, expected) => {
    expect(compareVersions(v(a), v(b))).toBe(expected);
    expect(compareVersions(v(b), v(a))).toBe(-expected || 0);
  });
});

describe('minorDistance', () => {
  it('counts minors within a major line, and is infinite across majors', () => {
    expect(minorDistance(v('1.32.4'), v('1.34.1'))).toBe(2);
    expect(minorDistance(v('1.34.0-rc.1'), v('1.33.2'))).toBe(1);
    expect(minorDistance(v('2.0.0'), v('1.34.0'))).toBe(Number.POSITIVE_INFINITY);
  });
});
