import { QedError } from '@qed/core';

/** The slice of fetch the registry checks use; tests inject a fake. */
export type HttpGet = (
  url: string,
  init: { signal: AbortSignal },
) => Promise<{ status: number; headers?: { get(name: string): string | null }; json(): Promise<unknown> }>;

export interface HealthDeps {
  fetch?: HttpGet;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const REQUEST_TIMEOUT_MS = 3_000;
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GET /v2/ answers 200 on a registry that serves without authentication. */
export async function isRegistryHealthy(host: string, deps: HealthDeps = {}): Promise<boolean> {
  const get = deps.fetch ?? fetch;
  try {
    const response = await get(`http://${host}/v2/`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return response.status === 200;
  } catch {
    // Refused or reset while the registry starts: not healthy yet.
    return false;
  }
}

/**
 * True when whatever listens at `host` speaks the registry API: GET /v2/ answers
 * 200 (open) or 401 (behind authentication) with the Docker-Distribution-Api-Version
 * header that the distribution spec has every registry send. Anything else on the
 * port (a web server, AirPlay) is not taken for one.
 */
export async function answersAsRegistry(host: string, deps: Pick<HealthDeps, 'fetch'> = {}): Promise<boolean> {
  const get = deps.fetch ?? fetch;
  try {
    const response = await get(`http://${host}/v2/`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return (response.status === 200 || response.status === 401) && Boolean(response.headers?.get('docker-distribution-api-version'));
  } catch {
    return false;
  }
}

/** Polls until healthy: a started container can take a moment to listen. */
export async function waitRegistryHealthy(
  host: string,
  options: { timeoutMs?: number; intervalMs?: number; name?: string } = {},
  deps: HealthDeps = {},
): Promise<void> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? sleepFor;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = now() + timeoutMs;
  for (;;) {
    if (await isRegistryHealthy(host, deps)) return;
    if (now() >= deadline) break;
    await sleep(options.intervalMs ?? 250);
  }
  const name = options.name ?? 'registry';
  throw new QedError(
    'REGISTRY_UNHEALTHY',
    `the registry did not answer GET http://${host}/v2/ with 200 within ${Math.round(timeoutMs / 1000)}s`,
    {
      hint: `Look at its logs with \`docker logs ${name}\`; \`qed-bootstrap registry down --name ${name}\` and \`up\` again recreate it.`,
      data: { host, timeoutMs },
    },
  );
}

/** The repositories the registry holds (GET /v2/_catalog). */
export async function listRepositories(
  host: string,
  deps: Pick<HealthDeps, 'fetch'> = {},
): Promise<string[]> {
  const get = deps.fetch ?? fetch;
  let response: Awaited<ReturnType<HttpGet>>;
  try {
    response = await get(`http://${host}/v2/_catalog`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (cause) {
    throw new QedError('REGISTRY_UNREACHABLE', `could not reach the registry at http://${host}`, {
      cause,
      hint: 'Start it with `qed-bootstrap registry up`.',
    });
  }
  if (response.status !== 200) {
    throw new QedError('REGISTRY_UNREACHABLE', `GET http://${host}/v2/_catalog answered ${response.status}`, {
      hint: 'Is another service than a registry listening on that port?',
    });
  }
  const body = (await response.json()) as { repositories?: unknown };
  return Array.isArray(body.repositories)
    ? body.repositories.filter((r): r is string => typeof r === 'string')
    : [];
}
