import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CommandRunner, runOrThrow } from '@qed/core';
import { unmountUnder } from './host-facts.js';
import type { TestenvLayout } from './layout.js';
import { startDaemon, waitFor } from './processes.js';

/** The product's registry image name; built here because nothing can be pulled. */
export const REGISTRY_IMAGE = 'docker.io/library/registry:2';
export const TESTENV_REGISTRY_CONTAINER = 'qed-testenv-registry';

/**
 * Ports of 127.0.0.1 and localhost that podman treats as plain-HTTP registries.
 * Real Docker trusts all of 127.0.0.0/8 over HTTP; podman trusts nothing by
 * default and its registries.conf has no port wildcard, so the ports the product's
 * tests use for their own registries are listed.
 */
export const INSECURE_REGISTRY_PORTS = { from: 5000, to: 5099 };

export function podmanEnv(layout: TestenvLayout): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    CONTAINERS_CONF: path.join(layout.podmanDir, 'containers.conf'),
    CONTAINERS_REGISTRIES_CONF: path.join(layout.podmanDir, 'registries.conf'),
    CONTAINERS_STORAGE_CONF: path.join(layout.podmanDir, 'storage.conf'),
  };
}

/**
 * The storage driver podman's private store uses: overlay where the kernel mounts it
 * on this file system, as Docker's overlay2 does on a developer's machine; vfs
 * otherwise (e.g. when the state folder is itself on overlayfs, inside a container).
 * vfs copies the whole root file system for every layer: a one-file rebuild of an
 * image based on the lane's Debian image took about 2 s with vfs and 0.4 s with
 * overlay here, and the dev loop's bench measures exactly that.
 */
export type PodmanStorageDriver = 'overlay' | 'vfs';

export async function chooseStorageDriver(runner: CommandRunner, layout: TestenvLayout): Promise<PodmanStorageDriver> {
  // A throwaway store beside the real one: a refused overlay must not leave its
  // database behind in the store vfs then uses.
  const probeDir = path.join(layout.podmanDir, 'storage-probe');
  try {
    // podman refuses to start when a configuration file it is pointed at is missing,
    // and the real ones are written once the driver is known.
    await mkdir(probeDir, { recursive: true });
    const storageConf = path.join(probeDir, 'storage.conf');
    await writeFile(storageConf, `[storage]\ndriver = "overlay"\ngraphroot = "${path.join(probeDir, 'root')}"\nrunroot = "${path.join(probeDir, 'run')}"\n`);
    await writeFile(path.join(probeDir, 'containers.conf'), '');
    const probe = await runner
      .run({
        command: 'podman',
        args: ['info', '--format', '{{.Store.GraphDriverName}}'],
        env: {
          ...podmanEnv(layout),
          CONTAINERS_CONF: path.join(probeDir, 'containers.conf'),
          CONTAINERS_STORAGE_CONF: storageConf,
          CONTAINERS_REGISTRIES_CONF: path.join(probeDir, 'containers.conf'),
        },
        timeoutMs: 60_000,
      })
      .catch(() => null);
    return probe?.exitCode === 0 && probe.stdout.trim() === 'overlay' ? 'overlay' : 'vfs';
  } finally {
    await unmountUnder(runner, probeDir);
    await rm(probeDir, { recursive: true, force: true });
  }
}

/** The private configuration podman runs with; /etc is never edited. */
export async function writePodmanConfig(layout: TestenvLayout, registryPort: number, driver: PodmanStorageDriver): Promise<void> {
  await mkdir(path.join(layout.podmanDir, 'cni'), { recursive: true });
  await writeFile(
    path.join(layout.podmanDir, 'containers.conf'),
    [
      '[containers]',
      // The default RLIMIT_NOFILE/NPROC raise is refused in this sandbox.
      'default_ulimits = []',
      '',
      '[engine]',
      // Debian's crun refuses cgroups in hybrid mode here; runc works.
      'runtime = "runc"',
      `tmp_dir = "${path.join(layout.podmanDir, 'tmp')}"`,
      '',
      '[network]',
      // Private, not /etc/cni/net.d: a minikube none-driver cluster on the same host
      // renames every podman CNI config it finds there (*.mk_disabled), which would
      // take this engine's networking down with it. podman makes its default
      // network in memory when no file names it.
      `network_config_dir = "${path.join(layout.podmanDir, 'cni')}"`,
      '',
    ].join('\n'),
  );
  const entries: string[] = [];
  const ports = new Set([registryPort]);
  for (let p = INSECURE_REGISTRY_PORTS.from; p <= INSECURE_REGISTRY_PORTS.to; p++) ports.add(p);
  for (const port of ports) {
    for (const host of ['127.0.0.1', 'localhost']) {
      entries.push(`[[registry]]\nlocation = "${host}:${port}"\ninsecure = true\n`);
    }
  }
  await writeFile(
    path.join(layout.podmanDir, 'registries.conf'),
    // docker.io so that short names such as registry:2 resolve as Docker resolves them.
    `unqualified-search-registries = ["docker.io"]\nshort-name-mode = "permissive"\n\n${entries.join('\n')}`,
  );
  await writeFile(
    path.join(layout.podmanDir, 'storage.conf'),
    [
      '[storage]',
      `driver = "${driver}"`,
      `graphroot = "${path.join(layout.podmanDir, 'root')}"`,
      `runroot = "${path.join(layout.podmanDir, 'run')}"`,
      '',
    ].join('\n'),
  );
}

export function podmanGlobalArgs(layout: TestenvLayout, driver: PodmanStorageDriver): string[] {
  return [
    '--root',
    path.join(layout.podmanDir, 'root'),
    '--runroot',
    path.join(layout.podmanDir, 'run'),
    '--storage-driver',
    driver,
    '--tmpdir',
    path.join(layout.podmanDir, 'tmp'),
  ];
}

export async function startPodmanService(
  layout: TestenvLayout,
  driver: PodmanStorageDriver,
  record: (name: string, pid: number) => Promise<void>,
): Promise<string> {
  await mkdir(path.join(layout.podmanDir, 'tmp'), { recursive: true });
  const logFile = path.join(layout.logsDir, 'podman.log');
  const pid = startDaemon(
    'podman',
    [...podmanGlobalArgs(layout, driver), 'system', 'service', '--time=0', `unix://${layout.podmanSocket}`],
    logFile,
    podmanEnv(layout),
  );
  await record('podman', pid);
  const dockerHost = `unix://${layout.podmanSocket}`;
  await waitFor(
    'the podman Docker API',
    async () => {
      const response = await fetchUnix(layout.podmanSocket, '/_ping');
      return response === 'OK';
    },
    30_000,
    logFile,
  );
  return dockerHost;
}

/** GET over a unix socket, without a client library: enough for /_ping. */
async function fetchUnix(socketPath: string, urlPath: string): Promise<string> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path: urlPath, method: 'GET', timeout: 2000 }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve(body));
    });
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.end();
  });
}

/**
 * registry:2 built FROM scratch around Debian's docker-registry binary, which links
 * only libc; the layout of its config mirrors the upstream image's.
 */
export async function buildRegistryImage(runner: CommandRunner, layout: TestenvLayout, dockerEnv: Record<string, string>): Promise<void> {
  const dir = layout.registryImageDir;
  await mkdir(path.join(dir, 'lib'), { recursive: true });
  await copyFile('/usr/bin/docker-registry', path.join(dir, 'registry'));
  await copyFile('/lib/x86_64-linux-gnu/libc.so.6', path.join(dir, 'lib', 'libc.so.6'));
  await copyFile('/lib64/ld-linux-x86-64.so.2', path.join(dir, 'lib', 'ld-linux-x86-64.so.2'));
  await writeFile(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: info',
      'storage:',
      '  filesystem:',
      '    rootdirectory: /var/lib/registry',
      '  delete:',
      '    enabled: true',
      'http:',
      '  addr: :5000',
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'Dockerfile'),
    [
      'FROM scratch',
      'COPY registry /bin/registry',
      'COPY lib/libc.so.6 /lib/x86_64-linux-gnu/libc.so.6',
      'COPY lib/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2',
      'COPY config.yml /etc/docker/registry/config.yml',
      'VOLUME ["/var/lib/registry"]',
      'EXPOSE 5000',
      'ENTRYPOINT ["/bin/registry"]',
      'CMD ["serve", "/etc/docker/registry/config.yml"]',
      '',
    ].join('\n'),
  );
  await runOrThrow(
    runner,
    { command: 'docker', args: ['build', '-q', '-t', REGISTRY_IMAGE, dir], env: dockerEnv, timeoutMs: 300_000 },
    { code: 'TESTENV_REGISTRY_IMAGE', what: 'building the registry:2 image', hint: `See ${path.join(layout.logsDir, 'podman.log')}.` },
  );
}

export async function runTestenvRegistry(
  runner: CommandRunner,
  port: number,
  dockerEnv: Record<string, string>,
): Promise<void> {
  await runOrThrow(
    runner,
    {
      command: 'docker',
      args: ['run', '-d', '-p', `127.0.0.1:${port}:5000`, '--restart=always', '--name', TESTENV_REGISTRY_CONTAINER, REGISTRY_IMAGE],
      env: dockerEnv,
      timeoutMs: 120_000,
    },
    { code: 'TESTENV_REGISTRY', what: 'starting the test registry', hint: 'See .testenv/logs/podman.log.' },
  );
  await waitFor('the test registry', async () => (await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(2000) })).ok, 30_000);
}
