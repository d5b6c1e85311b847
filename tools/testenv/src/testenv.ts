import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CommandRunner, QedError, writeFileAtomic } from '@qed/core';
import {
  buildRegistryImage,
  runTestenvRegistry,
  chooseStorageDriver,
  startPodmanService,
  TESTENV_REGISTRY_CONTAINER,
  writePodmanConfig,
} from './container-engine.js';
import { allocateControlPlanePorts, type ControlPlanePorts, startControlPlane } from './control-plane.js';
import type { TestenvLayout } from './layout.js';
import { withLock } from './lock.js';
import { CONTEXT_NAME, generatePki, writeKubeconfig } from './pki.js';
import { reapPrivateApiServers } from './private-apiserver-records.js';
import { findFreePort, isAlive, stopPid } from './processes.js';
import { runBuildScript } from './build-scripts.js';
import { type FirewallSnapshot, PODMAN_FIREWALL, snapshotFirewall, undoFirewallSince } from './host-firewall.js';
import { linkNames, mountTargets, unmountUnder } from './host-facts.js';
import { minikubeLaneLayout, readLaneState } from './minikube-lane/minikube-lane.js';
import { readPinnedVersions, TESTENV_ROOT } from './versions.js';

/** What tests and users need to reach the environment; also written to `.testenv/env`. */
export interface TestenvConnection {
  KUBECONFIG: string;
  DOCKER_HOST: string;
  QED_TEST_REGISTRY: string;
  QED_TESTENV_CONTEXT: string;
}

export interface TestenvState {
  /** Who brought it up: a user (`testenv:up`) keeps it; a test run's lease holders stop it when done. */
  startedBy: 'user' | 'test-run';
  startedAt: string;
  phase: 'starting' | 'running';
  /** Every process started, by name, in start order; `down` stops them by these PIDs. */
  pids: Record<string, number>;
  ports: ControlPlanePorts & { registry: number };
  connection: TestenvConnection;
  /**
   * What podman leaves on the host when it runs a container with a network, and
   * whether it was there at `up`: its self-bind of /run/netns (to share the network
   * namespaces it mounts there) and its IP allocations under /var/lib/cni. `down`
   * removes what was not there.
   */
  hostBefore?: { netnsMounted: boolean; cniState: boolean; firewall: FirewallSnapshot; podmanLink: boolean; ipForward?: string };
}

export interface TestenvDeps {
  layout: TestenvLayout;
  runner: CommandRunner;
  progress: (message: string) => void;
}

const LOCK_TIMEOUT_MS = 40 * 60_000;
// Order matters on the way down: dependents first, etcd last.
const STOP_ORDER = ['kwok', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd', 'podman'];

export async function readState(layout: TestenvLayout): Promise<TestenvState | null> {
  try {
    return JSON.parse(await readFile(layout.stateFile, 'utf8')) as TestenvState;
  } catch {
    return null;
  }
}

async function writeState(layout: TestenvLayout, state: TestenvState): Promise<void> {
  await writeFileAtomic(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`, 0o644);
}

export interface Health {
  healthy: boolean;
  problems: string[];
}

/** Every recorded process alive, the API server ready, the registry answering. */
export async function checkHealth(deps: TestenvDeps, state: TestenvState): Promise<Health> {
  const problems: string[] = [];
  for (const [name, pid] of Object.entries(state.pids)) {
    if (!isAlive(pid)) problems.push(`${name} (PID ${pid}) is not running`);
  }
  if (state.phase !== 'running') problems.push('start-up did not finish');
  if (problems.length === 0) {
    const ready = await deps.runner.run({
      command: 'kubectl',
      args: [`--kubeconfig=${state.connection.KUBECONFIG}`, 'get', '--raw', '/readyz'],
      timeoutMs: 10_000,
    });
    if (ready.exitCode !== 0) problems.push(`kube-apiserver is not ready: ${ready.stderr.trim()}`);
    const registry = await fetch(`http://${state.connection.QED_TEST_REGISTRY}/v2/`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
    if (!registry?.ok) problems.push(`the registry at ${state.connection.QED_TEST_REGISTRY} does not answer /v2/`);
  }
  return { healthy: problems.length === 0, problems };
}

export interface UpResult {
  alreadyRunning: boolean;
  state: TestenvState;
  durationMs: number;
}

export async function up(deps: TestenvDeps, startedBy: TestenvState['startedBy'] = 'user'): Promise<UpResult> {
  return withLock(deps.layout.lockFile, LOCK_TIMEOUT_MS, () => upLocked(deps, startedBy));
}

async function upLocked(deps: TestenvDeps, startedBy: TestenvState['startedBy']): Promise<UpResult> {
  const started = performance.now();
  const { layout, progress } = deps;
  const existing = await readState(layout);
  if (existing) {
    const health = await checkHealth(deps, existing);
    if (health.healthy) return { alreadyRunning: true, state: existing, durationMs: performance.now() - started };
    progress(`a previous environment is unhealthy (${health.problems.join('; ')}); removing it`);
    await downLocked(deps);
  }
  await ensurePrerequisites(deps);

  await removeStateDir(layout.stateDir);
  await mkdir(layout.logsDir, { recursive: true });
  await mkdir(layout.leasesDir, { recursive: true });
  const versions = readPinnedVersions();
  const ports = { ...(await allocateControlPlanePorts()), registry: await findFreePort() };
  const connection: TestenvConnection = {
    KUBECONFIG: layout.kubeconfig,
    DOCKER_HOST: `unix://${layout.podmanSocket}`,
    QED_TEST_REGISTRY: `127.0.0.1:${ports.registry}`,
    QED_TESTENV_CONTEXT: CONTEXT_NAME,
  };
  const hostBefore = {
    netnsMounted: (await mountTargets()).includes('/run/netns'),
    cniState: existsSync('/var/lib/cni'),
    firewall: await snapshotFirewall(deps.runner),
    podmanLink: (await linkNames(deps.runner)).includes(PODMAN_LINK),
    ipForward: (await readFile(IP_FORWARD, 'utf8').catch(() => '')).trim(),
  };
  const state: TestenvState = { startedBy, startedAt: new Date().toISOString(), phase: 'starting', pids: {}, ports, connection, hostBefore };
  await writeState(layout, state);
  const record = async (name: string, pid: number) => {
    state.pids[name] = pid;
    await writeState(layout, state);
  };

  try {
    progress('generating certificates');
    const pki = await generatePki(deps.runner, layout.pkiDir);
    await writeKubeconfig(layout.kubeconfig, `https://127.0.0.1:${ports.apiserver}`, pki);
    await startControlPlane({ layout, versions, ports, pki, runner: deps.runner, record, progress });

    progress('starting podman (Docker Engine API)');
    const driver = await chooseStorageDriver(deps.runner, layout);
    progress(`podman storage: ${driver}`);
    await writePodmanConfig(layout, ports.registry, driver);
    await startPodmanService(layout, driver, record);
    const dockerEnv = { DOCKER_HOST: connection.DOCKER_HOST };
    progress('building registry:2 from Debian\'s docker-registry');
    await buildRegistryImage(deps.runner, layout, dockerEnv);
    progress(`starting ${TESTENV_REGISTRY_CONTAINER} on ${connection.QED_TEST_REGISTRY}`);
    await runTestenvRegistry(deps.runner, ports.registry, dockerEnv);
  } catch (error) {
    progress('start-up failed; stopping what was started');
    const logs = layout.logsDir;
    await stopEverything(deps, state);
    // Keep the logs for diagnosis: move them beside the state dir before it is removed.
    const kept = `${layout.stateDir}-failed-logs`;
    await rm(kept, { recursive: true, force: true });
    await rename(logs, kept).catch(() => undefined);
    await removeStateDir(layout.stateDir);
    throw new QedError('TESTENV_UP_FAILED', `the test environment did not start: ${(error as Error).message}`, {
      hint: `Read the component logs in ${kept}; then run \`npx nx run testenv:up\` again.`,
      cause: error,
    });
  }

  state.phase = 'running';
  await writeState(layout, state);
  await writeFile(layout.envFile, formatEnvFile(connection));
  return { alreadyRunning: false, state, durationMs: performance.now() - started };
}

export function formatEnvFile(connection: TestenvConnection): string {
  return `${Object.entries(connection)
    .map(([key, value]) => `export ${key}='${value}'`)
    .join('\n')}\n`;
}

async function ensurePrerequisites(deps: TestenvDeps): Promise<void> {
  const missing = testenvUnavailableReason();
  if (missing) throw new QedError('TESTENV_UNSUPPORTED', missing, { hint: 'Run the integration tests on Linux (a Debian 12 machine or container).' });
  const scripts = path.join(TESTENV_ROOT, 'scripts');
  deps.progress('checking Debian packages');
  await runBuildScript(deps, path.join(scripts, 'install-debian-packages.sh'), [], path.dirname(deps.layout.binDir));
  deps.progress('checking control-plane binaries (a cold build takes several minutes)');
  await runBuildScript(deps, path.join(scripts, 'build-binaries.sh'), ['all'], path.dirname(deps.layout.binDir));
}

/** Why this machine cannot host the environment, or null when it can. */
export function testenvUnavailableReason(platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux') return `the test environment needs Linux (podman, etcd and kube-apiserver run natively); this is ${platform}`;
  return null;
}

export interface DownResult {
  wasRunning: boolean;
  stopped: string[];
  durationMs: number;
}

export async function down(deps: TestenvDeps): Promise<DownResult> {
  return withLock(deps.layout.lockFile, LOCK_TIMEOUT_MS, () => downLocked(deps));
}

async function downLocked(deps: TestenvDeps): Promise<DownResult> {
  const started = performance.now();
  const state = await readState(deps.layout);
  // Private API servers tests started (and did not stop) first: they use etcd, which
  // must still run for their keys to be deleted.
  const privateServers = await reapPrivateApiServers(deps.layout, 'all').catch((error: Error) => {
    deps.progress(`private API servers not all stopped: ${error.message}`);
    return [];
  });
  const stopped = [...privateServers, ...(state ? await stopEverything(deps, state) : [])];
  if (state?.hostBefore) await undoPodmanHostState(deps, state.hostBefore);
  await unmountUnder(deps.runner, deps.layout.stateDir);
  await removeStateDir(deps.layout.stateDir);
  return { wasRunning: state !== null, stopped, durationMs: performance.now() - started };
}

/** The minikube lane's env file lives here too and outlives this lane's down (that lane has its own). */
const KEPT_IN_STATE_DIR = new Set(['minikube.env']);

async function removeStateDir(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const name of entries) if (!KEPT_IN_STATE_DIR.has(name)) await rm(path.join(dir, name), { recursive: true, force: true });
  if (entries.every((name) => !KEPT_IN_STATE_DIR.has(name))) await rm(dir, { recursive: true, force: true });
}

async function stopEverything(deps: TestenvDeps, state: TestenvState): Promise<string[]> {
  const stopped: string[] = [];
  const podmanPid = state.pids.podman;
  if (podmanPid !== undefined && isAlive(podmanPid)) {
    // Containers run under conmon, outside podman's service process: remove them
    // through the API first. The storage is private to this environment, so every
    // container in it is ours.
    const env = { DOCKER_HOST: state.connection.DOCKER_HOST };
    const ids = await deps.runner.run({ command: 'docker', args: ['ps', '-aq'], env, timeoutMs: 30_000 }).catch(() => null);
    const list = ids?.stdout.split('\n').filter(Boolean) ?? [];
    if (list.length > 0) {
      await deps.runner.run({ command: 'docker', args: ['rm', '-f', '-v', ...list], env, timeoutMs: 60_000 }).catch(() => null);
    }
  }
  const names = [...STOP_ORDER.filter((n) => n in state.pids), ...Object.keys(state.pids).filter((n) => !STOP_ORDER.includes(n))];
  for (const name of names) {
    const pid = state.pids[name];
    if (pid !== undefined && (await stopPid(pid)) !== 'not-running') stopped.push(name);
  }
  // conmon and container processes the podman service started outlive it; they are
  // ours because their command lines name our private storage. Looked for again until
  // none is left: a conmon that ends starts its exit command (`podman … container
  // cleanup`, naming the storage too), which a single look can miss. Up to 10 looks.
  for (let look = 0; look < 10; look++) {
    const left = await pidsReferencing(deps.layout.podmanDir);
    if (left.length === 0) break;
    for (const pid of left) {
      if ((await stopPid(pid, 3000)) !== 'not-running' && !stopped.includes(`pid ${pid}`)) stopped.push(`pid ${pid}`);
    }
  }
  return stopped;
}

async function pidsReferencing(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) pids.push(Number(entry));
  }
  return pids;
}


const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';
/** The bridge podman's default network makes. */
const PODMAN_LINK = 'cni-podman0';

/**
 * After podman stopped: its /run/netns bind goes when it made it and nothing is still
 * mounted below it (the minikube lane's pod namespaces would be); its network's IP
 * allocations go ("podman" entries only; the pod network's are the minikube lane's).
 */
async function undoPodmanHostState(deps: TestenvDeps, before: NonNullable<TestenvState['hostBefore']>): Promise<void> {
  // Its firewall rules and bridge: the minikube lane, if up, may share the CNI-HOSTPORT chains; left to a later down then.
  if (!(await readLaneState(minikubeLaneLayout(path.resolve(TESTENV_ROOT, '..', '..'))))) {
    await undoFirewallSince(deps.runner, before.firewall, PODMAN_FIREWALL).catch((error: Error) => deps.progress(`podman's firewall rules not undone: ${error.message}`));
    if (!before.podmanLink && (await linkNames(deps.runner)).includes(PODMAN_LINK)) {
      await deps.runner.run({ command: 'ip', args: ['link', 'delete', PODMAN_LINK], timeoutMs: 10_000 }).catch(() => null);
    }
    // podman turns forwarding on for its network.
    if (before.ipForward) await writeFile(IP_FORWARD, before.ipForward).catch(() => undefined);
  }
  const mounts = await mountTargets();
  if (!before.netnsMounted && mounts.includes('/run/netns') && !mounts.some((t) => t.startsWith('/run/netns/'))) {
    await deps.runner.run({ command: 'umount', args: ['/run/netns'], timeoutMs: 10_000 }).catch(() => null);
  }
  if (!before.cniState) {
    for (const dir of ['/var/lib/cni/networks', '/var/lib/cni/results']) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (name === 'podman' || name.startsWith('podman-')) await rm(path.join(dir, name), { recursive: true, force: true });
      }
    }
    // The folders themselves only when nothing else (the minikube lane's pod network) keeps state there.
    for (const dir of ['/var/lib/cni/networks', '/var/lib/cni/results', '/var/lib/cni']) {
      if ((await readdir(dir).catch(() => ['?'])).length === 0) await rm(dir, { recursive: true, force: true });
    }
  }
}

export interface StatusResult {
  state: TestenvState | null;
  health: Health | null;
}

export async function status(deps: TestenvDeps): Promise<StatusResult> {
  const state = await readState(deps.layout);
  return { state, health: state ? await checkHealth(deps, state) : null };
}

/**
 * A test run's hold on the environment: brought up if needed (and then owned by
 * the test runs), stopped when the last lease holder releases it. An environment a
 * user started with `testenv:up` is left running.
 */
export async function acquireLease(deps: TestenvDeps): Promise<{ connection: TestenvConnection; release: () => Promise<void> }> {
  const lease = path.join(deps.layout.leasesDir, `${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const result = await withLock(deps.layout.lockFile, LOCK_TIMEOUT_MS, async () => {
    const upResult = await upLocked(deps, 'test-run');
    // What earlier test processes that were killed left running (private-apiserver.ts).
    if (upResult.alreadyRunning) await reapPrivateApiServers(deps.layout, 'orphaned');
    await mkdir(deps.layout.leasesDir, { recursive: true });
    await writeFile(lease, String(process.pid));
    return upResult;
  });
  return {
    connection: result.state.connection,
    release: () =>
      withLock(deps.layout.lockFile, LOCK_TIMEOUT_MS, async () => {
        await rm(lease, { force: true });
        const state = await readState(deps.layout);
        if (state?.startedBy !== 'test-run') return;
        if ((await liveLeases(deps.layout)).length === 0) await downLocked(deps);
      }),
  };
}

async function liveLeases(layout: TestenvLayout): Promise<string[]> {
  const live: string[] = [];
  for (const name of await readdir(layout.leasesDir).catch(() => [] as string[])) {
    const pid = Number.parseInt(name.split('-')[0] ?? '', 10);
    if (isAlive(pid)) live.push(name);
    else await rm(path.join(layout.leasesDir, name), { force: true });
  }
  return live;
}

