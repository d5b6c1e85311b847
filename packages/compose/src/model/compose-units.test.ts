import { describe, expect, it } from 'vitest';
import { bytesToQuantity, cpusToQuantity, parseBytes, parseCpus, parseDurationSeconds } from './compose-units.js';

describe('compose units', () => {
  it.each([
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1gb', 1024 ** 3],
    ['100M', 100 * 1024 ** 2],
    ['64k', 65536],
    ['2048', 2048],
    [1024, 1024],
    ['1.5g', 1.5 * 1024 ** 3],
  ] as const)('parseBytes(%s) = %d', (text, bytes) => expect(parseBytes(text)).toBe(bytes));

  it('refuses sizes it cannot read', () => {
    expect(parseBytes('lots')).toBeUndefined();
    expect(parseBytes('12x')).toBeUndefined();
  });

  it.each([
    ['30s', 30],
    ['1m30s', 90],
    ['500ms', 0.5],
    ['2h', 7200],
    ['10', 10],
  ] as const)('parseDurationSeconds(%s) = %d', (text, seconds) => expect(parseDurationSeconds(text)).toBe(seconds));

  it('refuses durations it cannot read', () => {
    expect(parseDurationSeconds('soon')).toBeUndefined();
    expect(parseDurationSeconds('10 s')).toBeUndefined();
  });

  it('writes Kubernetes quantities in the largest exact unit', () => {
    expect(bytesToQuantity(512 * 1024 ** 2)).toBe('512Mi');
    expect(bytesToQuantity(3 * 1024 ** 3)).toBe('3Gi');
    expect(bytesToQuantity(1000)).toBe('1000');
    expect(cpusToQuantity(0.5)).toBe('500m');
    expect(cpusToQuantity(2)).toBe('2');
    expect(parseCpus('0.25')).toBe(0.25);
    expect(parseCpus('-1')).toBeUndefined();
  });
});
