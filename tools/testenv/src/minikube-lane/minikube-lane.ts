import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type CommandRunner, QedError, writeFileAtomic } from '@qed/core';
import { holdLock, withLock } from '../lock.js';
import { findFreePortIn, isAlive, isPortListening, startDaemon, stopPid, waitFor } from '../processes.js';
import { runBuildScript } from '../build-scripts.js';
import { readPinnedVersions, TESTENV_ROOT } from '../versions.js';
import { readJournal, takeJournal, undoJournal } from './host-journal.js';
import { buildDebianServicesImage, buildKubeadmImages, buildStandinImage, cachedBinary, type LaneCache } from './lane-images.js';
import { containerdPid, foreignNodeProcesses, importImages, prepareNodeHost, runsProgram, stopNodeProcesses } from './node-host.js';

/**
 * The real-minikube lane: minikube built from its Go module, driver none with
 * containerd, on this machine (see docs/testing.md). Its state is the machine's,
 * not a checkout's (a none-driver node is the host itself, and only one can exist),
 * so it lives in one folder per machine; each checkout gets `.testenv/minikube.env`.
 */
export interface MinikubeLaneLayout {
  /** ~/.local/state/qed-testenv/minikube-lane, or QED_TESTENV_MINIKUBE_DIR. */
  dir: string;
  stateFile: string;
  lockFile: string;
  journalDir: string;
  binDir: string;
  logsDir: string;
  minikubeHome: string;
  kubeconfig: string;
  registryDir: string;
  envFile: string;
  leasesDir: string;
  cache: LaneCache;
  /** The checkout's copy of the env file. */
  checkoutEnvFile: string;
}

export function minikubeLaneLayout(repoRoot: string, env: NodeJS.ProcessEnv = process.env): MinikubeLaneLayout {
  const dir = path.resolve(env.QED_TESTENV_MINIKUBE_DIR ?? path.join(os.homedir(), '.local', 'state', 'qed-testenv', 'minikube-lane'));
  const cacheRoot = env.QED_TESTENV_CACHE ?? path.join(os.homedir(), '.cache', 'qed-testenv');
  return {
    dir,
    stateFile: path.join(dir, 'state.json'),
    lockFile: `${dir}.lock`,
    journalDir: path.join(dir, 'journal'),
    binDir: path.join(dir, 'bin'),
    logsDir: path.join(dir, 'logs'),
    minikubeHome: path.join(dir, 'minikube-home'),
    kubeconfig: path.join(dir, 'kubeconfig'),
    registryDir: path.join(dir, 'registry'),
    envFile: path.join(dir, 'env'),
    leasesDir: path.join(dir, 'leases'),
    cache: { binDir: path.join(cacheRoot, 'bin'), imagesDir: path.join(cacheRoot, 'images'), debsDir: path.join(cacheRoot, 'debs') },
    checkoutEnvFile: path.join(env.QED_TESTENV_DIR ?? path.join(repoRoot, '.testenv'), 'minikube.env'),
  };
}

// The none driver supports one profile only, minikube's default (DRV_UNSUPPORTED_PROFILE otherwise).
export const LANE_PROFILE = 'minikube';
/** Ports 127.0.0.1 pushes may use over plain HTTP through the kwok lane's podman (INSECURE_REGISTRY_PORTS). */
const LANE_REGISTRY_PORTS = { from: 5050, to: 5099 };

/** What tests and users source: `.testenv/minikube.env`. */
export interface MinikubeLaneConnection {
  /** The lane's bin folder first: minikube, kubectl of the cluster's version, the systemctl shim. */
  PATH: string;
  MINIKUBE_HOME: string;
  KUBECONFIG: string;
  QED_TEST_MINIKUBE_PROFILE: string;
  /** host:port of the registry the node pulls from (plain HTTP) and `images push` pushes to. */
  QED_TEST_MINIKUBE_REGISTRY: string;
  QED_TEST_MINIKUBE_KUBERNETES_VERSION: string;
  /** The --extra-config entries the lane's cluster was made with (comma-separated): a config's cluster.extraConfig. */
  QED_TEST_MINIKUBE_EXTRA_CONFIG: string;
  /** minikube reads its flags from MINIKUBE_* too: nothing can be downloaded here. */
  MINIKUBE_PRELOAD: string;
  MINIKUBE_WANTUPDATENOTIFICATION: string;
  /** minikube writes its logs and locks to the temporary folder: the lane's own, removed by down. */
  TMPDIR: string;
  /** Image archives for end-to-end tests: the QED stand-in and Debian's Redis/PostgreSQL/nginx. */
  QED_TEST_STANDIN_IMAGE: string;
  QED_TEST_STANDIN_ARCHIVE: string;
  QED_TEST_SERVICES_IMAGE: string;
  QED_TEST_SERVICES_ARCHIVE: string;
}

export interface MinikubeLaneState {
  startedBy: 'user' | 'test-run';
  startedAt: string;
  phase: 'starting' | 'running';
  /** Processes the lane started itself (the registry); containerd is found by its pid file. */
  pids: Record<string, number>;
  registryPort: number;
  connection: MinikubeLaneConnection;
  /** Seconds each part of `up` took, for the closing numbers and bench/. */
  timings: Record<string, number>;
}

export interface MinikubeLaneDeps {
  layout: MinikubeLaneLayout;
  runner: CommandRunner;
  progress: (message: string) => void;
}

const LOCK_TIMEOUT_MS = 60 * 60_000;

/** Why this machine cannot host the lane, or null when it can (checked before anything changes). */
export async function minikubeLaneUnavailableReason(platform: NodeJS.Platform = process.platform): Promise<string | null> {
  if (platform !== 'linux') return `the minikube lane turns this machine into the node (driver none): it needs Linux; this is ${platform}`;
  if (process.getuid?.() !== 0) return 'the minikube lane needs root: the none driver runs the kubelet and containerd on this machine';
  const foreign = await foreignNodeProcesses();
  if (foreign.length > 0) {
    return `this machine already runs ${foreign.join(', ')}: the lane would take over its containerd socket and node files. Run it on a machine (or container) without Docker or a kubelet`;
  }
  return null;
}

export async function readLaneState(layout: MinikubeLaneLayout): Promise<MinikubeLaneState | null> {
  try {
    return JSON.parse(await readFile(layout.stateFile, 'utf8')) as MinikubeLaneState;
  } catch {
    return null;
  }
}

async function writeLaneState(layout: MinikubeLaneLayout, state: MinikubeLaneState): Promise<void> {
  await writeFileAtomic(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`, 0o644);
}

export interface LaneHealth {
  healthy: boolean;
  problems: string[];
}

export async function checkLaneHealth(deps: MinikubeLaneDeps, state: MinikubeLaneState): Promise<LaneHealth> {
  const problems: string[] = [];
  if (state.phase !== 'running') problems.push('start-up did not finish');
  for (const [name, pid] of Object.entries(state.pids)) if (!isAlive(pid)) problems.push(`${name} (PID ${pid}) is not running`);
  if ((await containerdPid()) === null) problems.push('containerd is not running');
  if (problems.length === 0) {
    const status = await deps.runner.run({
      command: 'minikube',
      args: ['status', '-p', state.connection.QED_TEST_MINIKUBE_PROFILE, '-o', 'json'],
      env: laneEnv(state.connection),
      timeoutMs: 60_000,
    });
    if (status.exitCode !== 0) problems.push(`minikube status exits ${status.exitCode}: ${status.stdout.trim()}`);
    const registry = await fetch(`http://${state.connection.QED_TEST_MINIKUBE_REGISTRY}/v2/`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
    if (!registry?.ok) problems.push(`the registry at ${state.connection.QED_TEST_MINIKUBE_REGISTRY} does not answer /v2/`);
  }
  return { healthy: problems.length === 0, problems };
}

/** The variables a process needs to use the lane (the connection is exactly that: PATH, MINIKUBE_HOME, KUBECONFIG, TMPDIR …). */
export function laneEnv(connection: MinikubeLaneConnection): Record<string, string> {
  return { ...connection };
}

export interface LaneUpResult {
  alreadyRunning: boolean;
  state: MinikubeLaneState;
  durationMs: number;
}

export async function minikubeLaneUp(deps: MinikubeLaneDeps, startedBy: MinikubeLaneState['startedBy'] = 'user'): Promise<LaneUpResult> {
  await mkdir(path.dirname(deps.layout.lockFile), { recursive: true });
  return withLock(deps.layout.lockFile, LOCK_TIMEOUT_MS, () => upLocked(deps, startedBy));
}

async function upLocked(deps: MinikubeLaneDeps, startedBy: MinikubeLaneState['startedBy']): Promise<LaneUpResult> {
  const started = performance.now();
  const { layout, runner, progress } = deps;
  const existing = await readLaneState(layout);
  if (existing) {
    const health = await checkLaneHealth(deps, existing);
    if (health.healthy) {
      await writeCheckoutEnv(layout, existing.connection);
      return { alreadyRunning: true, state: existing, durationMs: performance.now() - started };
    }
    progress(`a previous minikube lane is unhealthy (${health.problems.join('; ')}); taking it down first`);
    await downLocked(deps);
  } else if (await readJournal(layout.journalDir)) {
    // A journal without state: an earlier up died half-way. Undo what it changed.
    await downLocked(deps);
  }
  const unavailable = await minikubeLaneUnavailableReason();
  if (unavailable) throw new QedError('TESTENV_MINIKUBE_UNSUPPORTED', unavailable, { hint: 'Run the minikube lane on a Debian 12 machine or container as root.' });

  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await body();
    } finally {
      timings[name] = Math.round(performance.now() - t0) / 1000;
    }
  };
  const versions = readPinnedVersions();
  const scripts = path.join(TESTENV_ROOT, 'scripts');
  await timed('prerequisites', async () => {
    progress('checking Debian packages (minikube lane)');
    await runBuildScript(deps, path.join(scripts, 'install-debian-packages.sh'), ['DEBIAN_PACKAGES'], path.dirname(layout.cache.binDir));
    await runBuildScript(deps, path.join(scripts, 'install-debian-packages.sh'), ['MINIKUBE_DEBIAN_PACKAGES'], path.dirname(layout.cache.binDir));
    progress('checking binaries (a cold build of minikube takes ~20 minutes)');
    await runBuildScript(deps, path.join(scripts, 'build-binaries.sh'), ['all'], path.dirname(layout.cache.binDir));
    await runBuildScript(deps, path.join(scripts, 'build-binaries.sh'), ['minikube-lane'], path.dirname(layout.cache.binDir));
  });
  // Installing containerd may have started one (a host with systemd does): checked again before anything changes.
  const afterInstall = await minikubeLaneUnavailableReason();
  if (afterInstall) throw new QedError('TESTENV_MINIKUBE_UNSUPPORTED', afterInstall, { hint: 'Stop that service (it is not the lane\'s), then run minikube-up again.' });
  const bin = (name: string, version = versions.kubernetes) => cachedBinary(layout.cache, name, version, versions.buildRevision);
  const images = await timed('images', async () => {
    const laneVersions = { kubernetes: versions.kubernetes, etcd: versions.etcd, coredns: versions.coredns, buildRevision: versions.buildRevision };
    return {
      kubeadm: await buildKubeadmImages(runner, layout.cache, laneVersions, progress),
      standin: await buildStandinImage(runner, layout.cache, progress),
      services: await buildDebianServicesImage(runner, layout.cache, progress),
    };
  });

  await rm(layout.dir, { recursive: true, force: true });
  for (const dir of [layout.binDir, layout.logsDir, layout.leasesDir, layout.registryDir, path.join(layout.dir, 'tmp')]) await mkdir(dir, { recursive: true });
  const registryPort = await findFreePortIn(LANE_REGISTRY_PORTS.from, LANE_REGISTRY_PORTS.to);
  const profile = LANE_PROFILE;
  const connection: MinikubeLaneConnection = {
    PATH: `${layout.binDir}:${process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'}`,
    MINIKUBE_HOME: layout.minikubeHome,
    KUBECONFIG: layout.kubeconfig,
    QED_TEST_MINIKUBE_PROFILE: profile,
    QED_TEST_MINIKUBE_REGISTRY: `127.0.0.1:${registryPort}`,
    QED_TEST_MINIKUBE_KUBERNETES_VERSION: versions.kubernetes,
    QED_TEST_MINIKUBE_EXTRA_CONFIG: CGROUP_V1_EXTRA_CONFIG.join(','),
    MINIKUBE_PRELOAD: 'false',
    MINIKUBE_WANTUPDATENOTIFICATION: 'false',
    TMPDIR: path.join(layout.dir, 'tmp'),
    QED_TEST_STANDIN_IMAGE: images.standin.ref,
    QED_TEST_STANDIN_ARCHIVE: images.standin.archive,
    QED_TEST_SERVICES_IMAGE: images.services.ref,
    QED_TEST_SERVICES_ARCHIVE: images.services.archive,
  };
  const state: MinikubeLaneState = { startedBy, startedAt: new Date().toISOString(), phase: 'starting', pids: {}, registryPort, connection, timings };
  await writeLaneState(layout, state);

  try {
    await timed('journal', () => takeJournal(runner, layout.journalDir));
    await timed('node-host', async () => {
      // minikube and the node's binaries: minikube takes kubeadm, kubelet and kubectl from its cache instead of downloading.
      await linkOrCopy(bin('minikube', versions.minikube), path.join(layout.binDir, 'minikube'));
      await linkOrCopy(bin('kubectl'), path.join(layout.binDir, 'kubectl'));
      const cacheDir = path.join(layout.minikubeHome, '.minikube', 'cache', 'linux', 'amd64', versions.kubernetes);
      await mkdir(cacheDir, { recursive: true });
      for (const name of ['kubeadm', 'kubelet', 'kubectl']) await linkOrCopy(bin(name), path.join(cacheDir, name));
      await prepareNodeHost(runner, { binDir: layout.binDir, logsDir: layout.logsDir }, { crictl: bin('crictl', versions.criTools) }, progress);
      progress(`importing ${images.kubeadm.length} control-plane images into containerd`);
      await importImages(runner, images.kubeadm.map((i) => i.archive));
    });
    await timed('registry', async () => {
      state.pids.registry = await startLaneRegistry(layout, registryPort);
      await writeLaneState(layout, state);
    });
    await timed('minikube-start', async () => {
      progress(`minikube start -p ${profile} --driver=none (containerd, Kubernetes ${versions.kubernetes})`);
      const result = await runner.run({
        command: 'minikube',
        args: laneStartArgs(profile, versions.kubernetes, connection.QED_TEST_MINIKUBE_REGISTRY),
        env: laneEnv(connection),
        timeoutMs: 15 * 60_000,
        onOutput: (chunk) => {
          const line = chunk.trimEnd().split('\n').pop()?.trim();
          if (line) progress(line);
        },
      });
      await writeFile(path.join(layout.logsDir, 'minikube-start.log'), `${result.stdout}\n--- stderr ---\n${result.stderr}`);
      if (result.exitCode !== 0) {
        const logs = await runner.run({ command: 'minikube', args: ['logs', '-p', profile, '--length', '80'], env: laneEnv(connection), timeoutMs: 120_000 }).catch(() => null);
        if (logs) await writeFile(path.join(layout.logsDir, 'minikube-logs.txt'), logs.stdout + logs.stderr);
        throw new Error(`minikube start exited ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-8).join('\n')}`);
      }
    });
  } catch (error) {
    progress('the minikube lane did not start; undoing what it changed');
    const kept = `${layout.dir}-failed-logs`;
    await rm(kept, { recursive: true, force: true });
    await copyDir(layout.logsDir, kept);
    await downLocked(deps).catch((downError: Error) => progress(`undo incomplete: ${downError.message}`));
    throw new QedError('TESTENV_MINIKUBE_UP_FAILED', `the minikube lane did not start: ${(error as Error).message}`, {
      hint: `Read the logs kept in ${kept}; then run \`npx nx run testenv:minikube-up\` again.`,
      cause: error,
    });
  }
  state.phase = 'running';
  await writeLaneState(layout, state);
  await writeFile(layout.envFile, formatLaneEnv(connection));
  await writeCheckoutEnv(layout, connection);
  return { alreadyRunning: false, state, durationMs: performance.now() - started };
}

/**
 * The start the product's own `cluster up` plans for the same config (driver none,
 * containerd, the pinned Kubernetes version, the registry as the node reaches it),
 * so a test's `qed-bootstrap cluster up` finds the lane's cluster as it wants it.
 * This machine has cgroup v1, which the kubelet refuses since 1.35 unless told
 * (fail-cgroupv1) and kubeadm's preflight refuses unless that check is skipped.
 */
export function laneStartArgs(profile: string, kubernetesVersion: string, registry: string): string[] {
  return [
    'start',
    '-p',
    profile,
    '--driver',
    'none',
    '--kubernetes-version',
    kubernetesVersion,
    '--container-runtime',
    'containerd',
    '--insecure-registry',
    registry,
    ...CGROUP_V1_EXTRA_CONFIG.flatMap((entry) => ['--extra-config', entry]),
  ];
}

/** What a cgroup v1 host needs for Kubernetes >= 1.35; the tests' qed.config.yaml uses the same list. */
export const CGROUP_V1_EXTRA_CONFIG = ['kubelet.fail-cgroupv1=false', 'kubeadm.ignore-preflight-errors=SystemVerification'];

/** The program each recorded PID runs, checked before it is signalled. */
const LANE_PROGRAMS: Record<string, string> = { registry: 'docker-registry' };

/** Debian's docker-registry as a plain process on loopback: the registry the node pulls from. */
async function startLaneRegistry(layout: MinikubeLaneLayout, port: number): Promise<number> {
  const config = path.join(layout.registryDir, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(layout.registryDir, 'storage')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const logFile = path.join(layout.logsDir, 'registry.log');
  const pid = startDaemon('docker-registry', ['serve', config], logFile, process.env);
  await waitFor(`the lane's registry on 127.0.0.1:${port}`, () => isPortListening(port), 20_000, logFile);
  return pid;
}

export function formatLaneEnv(connection: MinikubeLaneConnection): string {
  return `${Object.entries(connection)
    .map(([key, value]) => `export ${key}='${value}'`)
    .join('\n')}\n`;
}

async function writeCheckoutEnv(layout: MinikubeLaneLayout, connection: MinikubeLaneConnection): Promise<void> {
  await mkdir(path.dirname(layout.checkoutEnvFile), { recursive: true });
  await writeFile(layout.checkoutEnvFile, formatLaneEnv(connection));
}

export interface LaneDownResult {
  wasRunning: boolean;
  stopped: string[];
  problems: string[];
  durationMs: number;
}

export async function minikubeLaneDown(deps: MinikubeLaneDeps): Promise<LaneDownResult> {
  await mkdir(path.dirname(deps.layout.lockFile), { recursive: true });
  return withLock(deps.layout.lockFile, LOCK_TIMEOUT_MS, () => downLocked(deps));
}

async function downLocked(deps: MinikubeLaneDeps): Promise<LaneDownResult> {
  const started = performance.now();
  const { layout, runner, progress } = deps;
  const state = await readLaneState(layout);
  const journal = await readJournal(layout.journalDir);
  const stopped: string[] = [];
  if (!state && !journal) return { wasRunning: false, stopped, problems: [], durationMs: performance.now() - started };
  if (state && existsSync(path.join(layout.binDir, 'minikube'))) {
    progress(`minikube delete -p ${state.connection.QED_TEST_MINIKUBE_PROFILE}`);
    // A delete that fails or hangs must not stop the rest: what it leaves is stopped and undone below.
    const deleted = await runner
      .run({ command: 'minikube', args: ['delete', '-p', state.connection.QED_TEST_MINIKUBE_PROFILE], env: laneEnv(state.connection), timeoutMs: 5 * 60_000 })
      .catch((error: Error) => ({ exitCode: -1, stderr: error.message }));
    if (deleted.exitCode !== 0) progress(`minikube delete did not finish (${deleted.exitCode}): ${deleted.stderr.trim().split('\n').pop()}; stopping what is left by hand`);
  }
  // Only when this lane ran here (state or journal): a kubelet of someone else's none-driver cluster is not ours.
  stopped.push(...(await stopNodeProcesses(runner)));
  for (const [name, pid] of Object.entries(state?.pids ?? {})) {
    // A recorded PID is only stopped while it still runs the program recorded (PIDs are reused).
    if ((await runsProgram(pid, LANE_PROGRAMS[name] ?? '')) && (await stopPid(pid)) !== 'not-running') stopped.push(`${name} (PID ${pid})`);
  }
  const problems = journal ? await undoJournal(runner, layout.journalDir, journal) : [];
  if (problems.length > 0) {
    // Keep the journal: a second down can finish the undo.
    throw new QedError('TESTENV_MINIKUBE_DOWN_INCOMPLETE', `the host could not be put back completely: ${problems.join('; ')}`, {
      hint: `Fix what is named and run \`npx nx run testenv:minikube-down\` again (the journal is in ${layout.journalDir}).`,
    });
  }
  await rm(layout.dir, { recursive: true, force: true });
  await rm(layout.checkoutEnvFile, { force: true });
  return { wasRunning: state !== null, stopped, problems, durationMs: performance.now() - started };
}

export interface LaneStatus {
  state: MinikubeLaneState | null;
  health: LaneHealth | null;
}

export async function minikubeLaneStatus(deps: MinikubeLaneDeps): Promise<LaneStatus> {
  const state = await readLaneState(deps.layout);
  return { state, health: state ? await checkLaneHealth(deps, state) : null };
}

/**
 * The lane to oneself: suites, the bench and the fixture recorder stop, delete and
 * recreate its one cluster, so they take turns (a lock held until release).
 */
export async function takeLaneTurn(layout: MinikubeLaneLayout): Promise<{ release: () => Promise<void> }> {
  await mkdir(path.dirname(layout.lockFile), { recursive: true });
  return holdLock(`${layout.dir}.tests.lock`, 90 * 60_000);
}

/**
 * A test run's hold on the lane, as for the kwok lane: brought up when needed (and
 * then owned by test runs), taken down when the last holder lets go; a lane a user
 * started stays.
 */
export async function acquireLaneLease(deps: MinikubeLaneDeps): Promise<{ connection: MinikubeLaneConnection; release: () => Promise<void> }> {
  await mkdir(path.dirname(deps.layout.lockFile), { recursive: true });
  const lease = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const result = await withLock(deps.layout.lockFile, LOCK_TIMEOUT_MS, async () => {
    const up = await upLocked(deps, 'test-run');
    await mkdir(deps.layout.leasesDir, { recursive: true });
    await writeFile(path.join(deps.layout.leasesDir, lease), String(process.pid));
    return up;
  });
  return {
    connection: result.state.connection,
    release: () =>
      withLock(deps.layout.lockFile, LOCK_TIMEOUT_MS, async () => {
        await rm(path.join(deps.layout.leasesDir, lease), { force: true });
        const state = await readLaneState(deps.layout);
        if (state?.startedBy !== 'test-run') return;
        const live = (await readdir(deps.layout.leasesDir).catch(() => [] as string[])).filter((name) => isAlive(Number.parseInt(name, 10)));
        if (live.length === 0) await downLocked(deps);
      }),
  };
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  await rm(to, { force: true });
  await link(from, to).catch(() => copyFile(from, to));
}

async function copyDir(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from).catch(() => [] as string[])) await copyFile(path.join(from, name), path.join(to, name)).catch(() => undefined);
}
