import path from 'node:path';

/**
 * Where the docker CLI reads its config: $DOCKER_CONFIG/config.json when the
 * variable is set (and not empty), ~/.docker/config.json otherwise.
 */
export function dockerConfigPath(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const dir = env.DOCKER_CONFIG ? env.DOCKER_CONFIG : path.join(homeDir, '.docker');
  return path.join(dir, 'config.json');
}
