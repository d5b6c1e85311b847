import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** One row of the process table: a process and its parent. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
}

/**
 * Every process of the machine with its parent, read once: /proc on Linux (WSL
 * too), where nothing has to be started; `ps` elsewhere (macOS). Empty when
 * neither can be read: the caller then only knows the PIDs it started itself.
 */
export async function readProcessTable(): Promise<ProcessEntry[]> {
  return (await readProcTable()) ?? (await readPsTable());
}

/** The PIDs below root in the table (children, their children, …), parents before their children. */
export function descendantsOf(root: number, table: readonly ProcessEntry[]): number[] {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of table) {
    if (pid !== ppid) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const seen = new Set([root]);
  for (let next = [root]; next.length > 0; ) {
    next = next.flatMap((pid) => children.get(pid) ?? []).filter((pid) => !seen.has(pid));
    for (const pid of next) seen.add(pid);
    found.push(...next);
  }
  return found;
}

async function readProcTable(): Promise<ProcessEntry[] | null> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return null;
  }
  const rows = await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        // Field 4 of /proc/PID/stat, after the command name, which may hold spaces and parentheses.
        const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
        const ppid = stat === null ? Number.NaN : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return Number.isInteger(ppid) ? { pid: Number(name), ppid } : null;
      }),
  );
  const table = rows.filter((row) => row !== null);
  return table.length > 0 ? table : null;
}

function readPsTable(): Promise<ProcessEntry[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { timeout: 10_000, windowsHide: true }, (error, stdout) => {
      if (error) {
        resolve([]);
        return;
      }
      resolve(parsePsTable(stdout));
    });
  });
}

/** `ps -A -o pid= -o ppid=`: two numbers a line. */
export function parsePsTable(stdout: string): ProcessEntry[] {
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((fields): fields is [number, number] => fields.length === 2 && fields.every(Number.isInteger))
    .map(([pid, ppid]) => ({ pid, ppid }));
}
