import { QedError } from '@qed/core';

/** How many ports after the wanted one are tried before giving up. */
const TRIES = 50;

/**
 * The local ports tried for a Service's port, in order: its own, then the next
 * ones up. Where ports below 1024 cannot be bound (not root), a privileged port
 * continues from 8000 + port instead: 80 becomes 8080, 443 8443.
 */
export function portCandidates(wanted: number, privilegedAllowed: boolean): number[] {
  const start = wanted < 1024 && !privilegedAllowed ? wanted + 8000 : wanted;
  return Array.from({ length: TRIES }, (_, i) => start + i).filter((port) => port <= 65_535);
}

/**
 * Binds the first free candidate for `wanted` (see portCandidates): the same
 * ports run after run while they are free, so bookmarks keep working.
 * `bind` fails as the system says; EADDRINUSE moves on, EACCES on a privileged
 * port moves to the unprivileged series, anything else is thrown.
 */
export async function bindStablePort<T>(wanted: number, bind: (port: number) => Promise<T>): Promise<T> {
  let candidates = portCandidates(wanted, true);
  for (let i = 0; i < candidates.length; i++) {
    const port = candidates[i] as number;
    try {
      return await bind(port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' && port < 1024) {
        candidates = portCandidates(wanted, false);
        i = -1;
        continue;
      }
      if (code !== 'EADDRINUSE') throw error;
    }
  }
  throw new QedError('FORWARD_NO_FREE_PORT', `no free local port for port ${wanted}: ${candidates[0]} to ${candidates.at(-1)} are all taken on 127.0.0.1`, {
    hint: 'Stop what holds those ports (`ss -ltnp` lists them), or forward fewer services (`qed-bootstrap forward SERVICE`).',
  });
}
