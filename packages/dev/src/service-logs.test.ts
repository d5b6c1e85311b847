import { describe, expect, it } from 'vitest';
import { type LoggedPod, type LogLine, loggableContainers, orderByTime } from './service-logs.js';

const line = (pod: string, time: string | undefined, text: string): LogLine => ({ service: 'web', label: 'web', pod, container: 'web', time, text });

describe('orderByTime', () => {
  it('interleaves the lines of several containers by their stamps, nanoseconds included', () => {
    const a = [line('a', '2026-12-01T10:00:00.5Z', 'a1'), line('a', '2026-12-01T10:00:02Z', 'a2')];
    const b = [line('b', '2026-12-01T10:00:00.000000002Z', 'b1'), line('b', '2026-12-01T10:00:00.5000001Z', 'b2')];
    expect(orderByTime([...a, ...b]).map((l) => l.text)).toEqual(['b1', 'a1', 'b2', 'a2']);
  });

  it('keeps the order of lines with the same stamp or none', () => {
    const lines = [line('a', '2026-12-01T10:00:00Z', 'first'), line('a', '2026-12-01T10:00:00Z', 'second'), line('a', undefined, 'third')];
    expect(orderByTime(lines).map((l) => l.text)).toEqual(['first', 'second', 'third']);
  });
});

describe('loggableContainers', () => {
  it('the started containers, keyed by pod, container and restart: a restart is a new log to read', () => {
    const pod: LoggedPod = {
      metadata: { name: 'web-1', uid: 'u1' },
      status: {
        containerStatuses: [
          { name: 'web', restartCount: 2, state: { running: {} } },
          { name: 'sidecar', restartCount: 0, state: { terminated: {} } },
          { name: 'slow', restartCount: 0, state: { waiting: {} } },
        ],
      },
    };
    expect(loggableContainers(pod)).toEqual([
      { container: 'web', key: 'u1/web/2' },
      { container: 'sidecar', key: 'u1/sidecar/0' },
    ]);
    expect(loggableContainers({ metadata: { name: 'pending' } })).toEqual([]);
  });
});
