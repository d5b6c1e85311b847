import { describe, expect, it } from 'vitest';
import { joinNodePath, toNodePath } from './node-paths.js';

describe('toNodePath', () => {
  it.each([
    ['C:\\Users\\me\\qed\\data', 'windows', '/c/Users/me/qed/data'],
    ['c:/Users/me/qed/', 'windows', '/c/Users/me/qed'],
    ['D:\\', 'windows', '/d'],
    ['/Users/me/qed/data', 'macos', '/Users/me/qed/data'],
    ['/home/me//qed/./data/', 'linux', '/home/me/qed/data'],
    ['/home/me/qed', 'wsl', '/home/me/qed'],
    ['/', 'linux', '/'],
  ] as const)('%s on %s -> %s', (input, os, expected) => {
    expect(toNodePath(input, os)).toBe(expected);
  });

  it.each([
    ['qed\\data', 'windows'],
    ['data/pv-mongodb', 'linux'],
  ] as const)('refuses the relative path %s', (input, os) => {
    expect(() => toNodePath(input, os)).toThrow(/not an absolute/);
  });

  it('joins below a node root with forward slashes', () => {
    expect(joinNodePath('/c/Users/me/qed', 'pv\\mongodb')).toBe('/c/Users/me/qed/pv/mongodb');
  });
});
