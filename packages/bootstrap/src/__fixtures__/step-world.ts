import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type ClusterDriver, defaultQedConfig, fixedClock, type OperatingSystem, type PlatformFacts, type QedConfig } from '@qed/core';
import type { DoctorReport } from '@qed/env-check';
import { HttpsKubeApi } from '@qed/kube';
import { FakeCommandRunner } from '@qed/testing';
import type { BootstrapDeps, BootstrapInput, BootstrapStep, StepContext, StepOutcome, StepPlanView } from '../pipeline-types.js';
import { createStepContext } from '../step-context.js';
import type { BootstrapTarget } from '../target.js';

const GIB = 1024 ** 3;

export interface StepWorldOptions {
  target?: BootstrapTarget;
  os?: OperatingSystem;
  /** registry.host; default 127.0.0.1 on a port nothing listens on. */
  registryHost?: string;
  config?: Partial<QedConfig>;
  driver?: ClusterDriver;
  input?: Partial<BootstrapInput>;
  env?: Record<string, string | undefined>;
  /** What ctx.doctor() reports; default every check passed (none listed). */
  doctor?: DoctorReport;
  /** Plan as --dry-run does (the apply step then asks the server what would change). */
  dryRun?: boolean;
}

/**
 * One step's world for unit tests: a fresh project folder (also HOME), given
 * platform facts, the fake runner for every command, the doctor's findings as
 * data, and a kube context whose API server does not answer (a cluster not
 * started): the steps reach it through the real HTTPS transport, and find nobody.
 */
export async function stepWorld(options: StepWorldOptions = {}) {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-step-unit-'));
  const defaults = defaultQedConfig(cwd);
  const config: QedConfig = {
    ...defaults,
    ...options.config,
    cluster: { ...defaults.cluster, ...options.config?.cluster, ...(options.driver ? { driver: options.driver } : {}) },
    registry: { name: 'registry-unit', host: options.registryHost ?? `127.0.0.1:${await closedPort()}` },
  };
  const input: BootstrapInput = {
    config,
    target: options.target ?? { kind: 'minikube' },
    namespace: 'qed-unit',
    profile: 'local',
    consent: false,
    fixDockerConfig: false,
    ...options.input,
  };
  const platform: PlatformFacts = { os: options.os ?? 'linux', arch: 'x64', cpuCount: 8, totalMemoryBytes: 32 * GIB, freeDiskBytes: 200 * GIB, diskPath: cwd, homeDir: cwd };
  const runner = new FakeCommandRunner();
  const server = `https://127.0.0.1:${await closedPort()}`;
  const deps: BootstrapDeps = {
    cwd,
    homeDir: cwd,
    env: options.env ?? {},
    runner,
    // Stopped, so backup names and timestamps are the same on every run.
    clock: fixedClock('2026-12-01T10:20:30Z'),
    platform: async () => platform,
    connect: async (context) => ({ api: new HttpsKubeApi(async () => ({ server }), server), context, server, contextNamespace: undefined }),
  };
  const doctor = options.doctor ?? { ok: true, checks: [] };
  /** A context for the same folder and world, as a later run (a resume) gets it: nothing handed over. */
  const newRun = (): StepContext => {
    const fresh = createStepContext(input, deps, new AbortController().signal, { dryRun: options.dryRun === true });
    fresh.doctor = async () => doctor;
    return fresh;
  };
  return { ctx: newRun(), newRun, runner, cwd, server, input };
}

/** minikube v1.38.1 with no profile yet, as the cluster facts read it. */
export function recordNoMinikubeProfile(runner: FakeCommandRunner, profile: string): void {
  runner
    .on('minikube', ['version', '-o', 'json'], { stdout: '{"commit":"c","minikubeVersion":"v1.38.1"}\n' })
    .on('minikube', ['profile', 'list', '-o', 'json'], { exitCode: 85, stderr: '* Exiting due to MK_USAGE_NO_PROFILE: No minikube profile was found.\n' })
    .on('minikube', ['status', '-p', profile, '-o', 'json'], { exitCode: 85, stdout: `* Profile "${profile}" not found. Run "minikube profile list" to view all profiles.\n` });
}

/** A port that was free a moment ago and that nothing listens on now. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * An HTTP server answering GET /v2/ as registry:2 does (200, `{}`), on a port of
 * its own: what a registry already serving the configured port looks like to the
 * registry step, which only asks /v2/.
 */
export async function answeringRegistryApi(): Promise<{ host: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const found = req.url === '/v2/';
    res.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0' });
    res.end(found ? '{}' : '{"errors":[{"code":"NOT_FOUND"}]}');
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  return { host: `127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A step's plan as --dry-run shows it. */
export async function planView<Plan>(step: BootstrapStep<Plan>, ctx: StepContext): Promise<StepPlanView> {
  return step.describe(await step.plan(ctx), ctx);
}

/** A step as the pipeline runs it: planned, then that plan applied. */
export async function runStep<Plan>(step: BootstrapStep<Plan>, ctx: StepContext): Promise<StepOutcome> {
  return step.apply(ctx, await step.plan(ctx));
}
