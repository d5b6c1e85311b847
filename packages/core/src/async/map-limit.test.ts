import { describe, expect, it } from 'vitest';
import { mapLimit } from './map-limit.js';

describe('mapLimit', () => {
  it.each([
    [1, 1],
    [3, 3],
    [16, 5],
    [0, 1],
    [2.7, 2],
  ])('limit %s: at most %i in flight, results in input order', async (limit, most) => {
    let inFlight = 0;
    let peak = 0;
    const items = [50, 10, 30, 0, 20];
    const results = await mapLimit(items, limit, async (delay, index) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delay));
      inFlight--;
      return `${index}:${delay}`;
    });
    expect(results).toEqual(['0:50', '1:10', '2:30', '3:0', '4:20']);
    expect(peak).toBe(most);
  });

  it('returns an empty list for no items', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
