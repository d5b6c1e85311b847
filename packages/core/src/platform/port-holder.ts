import { isQedError } from '../errors/qed-error.js';
import type { CommandRunner } from '../runner/command-runner.js';

/** The process listening on a port, as far as lsof can tell (it may hide either field). */
export interface PortHolder {
  pid: number | null;
  command: string | null;
}

export async function findPortHolder(runner: CommandRunner, port: number): Promise<PortHolder | null> {
  try {
    const result = await runner.run({
      command: 'lsof',
      args: ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'],
      timeoutMs: 10_000,
    });
    return parseLsof(result.stdout);
  } catch (error) {
    if (isQedError(error, 'COMMAND_NOT_FOUND') || isQedError(error, 'COMMAND_TIMEOUT')) return null;
    throw error;
  }
}

/** lsof -F output: one field a line, `p<pid>` then `c<command>` for each process. */
export function parseLsof(stdout: string): PortHolder | null {
  let pid: number | null = null;
  let command: string | null = null;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('p') && pid === null) pid = Number(line.slice(1)) || null;
    else if (line.startsWith('c') && command === null) command = line.slice(1).trim() || null;
  }
  return pid === null && command === null ? null : { pid, command };
}
