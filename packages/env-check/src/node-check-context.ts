import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { CommandRunner, PlatformFacts, QedConfig } from '@qed/core';
import type { CheckContext } from './check-types.js';

export interface NodeCheckContextDeps {
  runner: CommandRunner;
  platform: PlatformFacts;
  config: QedConfig;
  env: Readonly<Record<string, string | undefined>>;
}

/** The real probes, on Node's net and fs. */
export function nodeCheckContext(deps: NodeCheckContextDeps): CheckContext {
  return {
    runner: deps.runner,
    platform: deps.platform,
    config: deps.config,
    env: deps.env,
    probePort,
    pathExists: (path) =>
      access(path).then(
        () => true,
        () => false,
      ),
    canReadWrite: (path) =>
      access(path, constants.R_OK | constants.W_OK).then(
        () => true,
        () => false,
      ),
    readTextFile: (path) => readFile(path, 'utf8').catch(() => null),
  };
}

/**
 * Whether a server could listen on host:port right now, found by listening and
 * closing at once: the one test that matches what the registry will try. Errors
 * other than "in use" and "not allowed" (say, an address not on this machine)
 * reject, for the caller to report.
 */
export function probePort(host: string, port: number): Promise<'free' | 'in-use' | 'no-permission'> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve('in-use');
      else if (error.code === 'EACCES') resolve('no-permission');
      else reject(error);
    });
    server.listen({ host, port }, () => server.close(() => resolve('free')));
  });
}
