import { describe, expect, it } from 'vitest';
import { logLabel, logPrefix, parseDuration, splitTimestamp } from './log-format.js';

describe('logPrefix', () => {
  it('pads the label so the bars line up, without colour', () => {
    expect(logPrefix('web', 9, 0, false)).toBe('web       | ');
    expect(logPrefix('qed-nginx', 9, 1, false)).toBe('qed-nginx | ');
  });

  it("colours the label and bar in its index's colour, wrapping round the palette", () => {
    expect(JSON.stringify(logPrefix('web', 3, 0, true))).toBe(JSON.stringify('\u001b[36mweb |\u001b[39m '));
    expect(JSON.stringify(logPrefix('db', 2, 1, true))).toBe(JSON.stringify('\u001b[33mdb |\u001b[39m '));
    expect(logPrefix('x', 1, 11, true)).toBe(logPrefix('x', 1, 0, true));
  });
});

describe('logLabel', () => {
  it('names the container only when the workload runs several', () => {
    expect(logLabel('django', 'django', 1)).toBe('django');
    expect(logLabel('cts', 'worker', 2)).toBe('cts/worker');
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1d', 86_400],
    ['1.5m', 90],
    ['0.2s', 1],
  ])('%s is %i s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '10', 'm5', '5 m', '5x', '1h-2m'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow('--since takes a duration');
  });
});

describe('splitTimestamp', () => {
  it('takes the RFC 3339 time the server put before the line', () => {
    expect(splitTimestamp('2026-12-01T10:00:00.123456789Z GET / 200')).toEqual({ time: '2026-12-01T10:00:00.123456789Z', text: 'GET / 200' });
    expect(splitTimestamp('2026-12-01T10:00:00Z')).toEqual({ time: '2026-12-01T10:00:00Z', text: '' });
  });

  it('leaves a line without one as it is', () => {
    expect(splitTimestamp('plain line')).toEqual({ time: undefined, text: 'plain line' });
  });
});
