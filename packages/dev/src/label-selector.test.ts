import { describe, expect, it } from 'vitest';
import { selectorQuery } from './label-selector.js';

describe('selectorQuery', () => {
  it.each<[string, Parameters<typeof selectorQuery>[0], string]>([
    ['labels', { matchLabels: { app: 'web', tier: 'front' } }, 'app=web,tier=front'],
    [
      'every kind of expression',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      'app=web,tier in (a,b),env notin (prod),canary,!legacy',
    ],
    ['none', undefined, ''],
  ])('%s', (_name, selector, expected) => {
    expect(selectorQuery(selector)).toBe(expected);
  });
});
