import { describe, expect, it } from 'vitest';
import { parseLsof } from './port-holder.js';

describe('parseLsof', () => {
  it('keeps the first process and tolerates empty output', () => {
    expect(parseLsof('p10\ncnode\np11\ncother\n')).toEqual({ pid: 10, command: 'node' });
    expect(parseLsof('')).toBeNull();
  });
});
