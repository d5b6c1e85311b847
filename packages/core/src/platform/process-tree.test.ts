import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { descendantsOf, parsePsTable, readProcessTable } from './process-tree.js';

describe('descendantsOf', () => {
  it('finds children, their children and so on, parents first, and nothing else', () => {
    const table = [
      { pid: 1, ppid: 0 },
      { pid: 10, ppid: 1 },
      { pid: 11, ppid: 10 },
      { pid: 12, ppid: 10 },
      { pid: 13, ppid: 12 },
      { pid: 20, ppid: 1 },
    ];
    expect(descendantsOf(10, table)).toEqual([11, 12, 13]);
    expect(descendantsOf(13, table)).toEqual([]);
    expect(descendantsOf(99, table)).toEqual([]);
  });

  it('ends on a table with a cycle (PIDs reused while it was read)', () => {
    expect(descendantsOf(1, [{ pid: 2, ppid: 1 }, { pid: 1, ppid: 2 }])).toEqual([2]);
  });
});

describe('parsePsTable', () => {
  it('reads `ps -A -o pid= -o ppid=` and skips what is not two numbers', () => {
    expect(parsePsTable('    1     0\n  312     1\n\n  bad line\n')).toEqual([
      { pid: 1, ppid: 0 },
      { pid: 312, ppid: 1 },
    ]);
  });
});

describe('readProcessTable', () => {
  it('holds a child this process started, and its child', async () => {
    const child = spawn('sh', ['-c', 'sleep 3600 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const grandchild = Number(line.toString().trim());
    try {
      expect(descendantsOf(process.pid, await readProcessTable())).toEqual(expect.arrayContaining([child.pid, grandchild]));
    } finally {
      process.kill(grandchild, 'SIGKILL');
      child.kill('SIGKILL');
    }
  });
});
