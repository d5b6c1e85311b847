/**
 * Maps with at most `limit` calls in flight (at least one; a fraction is rounded
 * down), keeping the input order in the result. A pool of workers each takes the
 * next item, so no item waits for a slower sibling's batch.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const workers = Math.min(Math.max(1, Math.floor(limit) || 1), items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
