import { readFileSync } from 'node:fs';

/**
 * Whether a process with this PID exists. EPERM means it does, under another
 * user. A zombie (exited, not yet reaped by its parent) counts as gone: it holds
 * nothing any more.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return procStatFields(pid)?.[0] !== 'Z';
}

/**
 * When the process started, as a token that stays the same for its whole life and
 * differs for a later process given the same PID: on Linux (WSL included) the
 * boot id and the start time in clock ticks, both from /proc. Elsewhere null:
 * macOS and Windows have no cheap, exact source without starting a program
 * (`ps -o lstart` has one-second resolution), so a PID there is only checked for
 * being alive.
 */
export function processStartToken(pid: number): string | null {
  const started = procStatFields(pid)?.[19];
  if (!started) return null;
  try {
    return `${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}:${started}`;
  } catch {
    return null;
  }
}

/** /proc/PID/stat from field 3 (state) on: the command name before it may hold spaces and parentheses. */
function procStatFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
