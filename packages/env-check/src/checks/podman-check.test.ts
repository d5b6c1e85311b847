import type { ClusterDriver, OperatingSystem } from '@qed/core';
import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it } from 'vitest';
import {
  PODMAN_4_3_LINUX,
  PODMAN_4_9_LINUX,
  PODMAN_5_MAC_MACHINE_RUNNING,
  PODMAN_LINUX_SERVICE_UNREACHABLE,
  PODMAN_MAC_MACHINE_STOPPED,
} from '../__fixtures__/podman-outputs.js';
import { testContext } from '../__fixtures__/test-context.js';
import { PODMAN_VERSION_ARGS, podmanCheck } from './podman-check.js';

type Answer = Parameters<FakeCommandRunner['on']>[2];

function run(
  answer: Answer,
  machine: {
    os?: OperatingSystem;
    driver?: ClusterDriver;
    env?: Record<string, string>;
    files?: Record<string, string>;
  } = {},
) {
  const runner = new FakeCommandRunner().on('podman', PODMAN_VERSION_ARGS, answer);
  const ctx = testContext({
    runner,
    os: machine.os ?? 'linux',
    cluster: { driver: machine.driver ?? 'auto' },
    env: machine.env ?? {},
    files: machine.files ?? {},
  });
  return { runner, result: podmanCheck.run(ctx) };
}

const AS_ROOT =
  'podman 4.9.3; minikube runs it as root through `sudo -n podman`, which needs passwordless sudo for podman, unless rootless mode is on';

describe('podmanCheck', () => {
  it('finds podman 4.9 on Linux, and says minikube runs it through sudo unless rootless', async () => {
    const { runner, result } = run(PODMAN_4_9_LINUX);
    expect(await result).toMatchObject({ status: 'ok', version: '4.9.3', detail: AS_ROOT, hint: null });
    expect(runner.commandLines).toEqual(['podman version --format json']);
  });

  it('warns for driver podman on Linux without rootless mode, with both ways out', async () => {
    const result = await run(PODMAN_4_9_LINUX, { driver: 'podman' }).result;
    expect(result).toMatchObject({
      status: 'warn',
      detail: AS_ROOT,
      required: 'podman 4.9.0 or later, answering (cluster.driver is podman)',
    });
    expect(result.hint).toContain('NOPASSWD');
    expect(result.hint).toContain('minikube config set rootless true');
  });

  it.each([
    [{ env: { MINIKUBE_ROOTLESS: 'true' } }, 'podman 4.9.3, rootless (MINIKUBE_ROOTLESS)'],
    [
      { files: { '/home/dev/.minikube/config/config.json': '{\n    "rootless": true\n}' } },
      'podman 4.9.3, rootless (rootless: true in /home/dev/.minikube/config/config.json)',
    ],
    [
      {
        env: { MINIKUBE_HOME: '/data/mk' },
        files: { '/data/mk/.minikube/config/config.json': '{"rootless":true}' },
      },
      'podman 4.9.3, rootless (rootless: true in /data/mk/.minikube/config/config.json)',
    ],
  ])('is ok for driver podman in rootless mode (%j)', async (machine, detail) => {
    expect(await run(PODMAN_4_9_LINUX, { driver: 'podman', ...machine }).result).toMatchObject({
      status: 'ok',
      detail,
    });
  });

  it("warns about this machine's podman 4.3.1, older than minikube's 4.9.0, even for driver podman (minikube only warns too)", async () => {
    const result = await run(PODMAN_4_3_LINUX, { driver: 'podman' }).result;
    expect(result).toMatchObject({
      status: 'warn',
      version: '4.3.1',
      detail:
        'podman 4.3.1 is older than 4.9.0, the oldest minikube supports: it warns that its podman driver might not work',
    });
    expect(result.hint).toContain('https://podman.io/docs/installation');
  });

  it("counts the podman machine's version on macOS, where minikube marks the driver experimental", async () => {
    expect(await run(PODMAN_5_MAC_MACHINE_RUNNING, { os: 'macos' }).result).toMatchObject({
      status: 'ok',
      version: '5.6.1',
      detail: 'podman 5.6.1, podman machine 5.6.1; minikube marks the podman driver experimental here',
    });
  });

  it('fails for driver podman when the podman machine is stopped, saying how to start it', async () => {
    const result = await run(PODMAN_MAC_MACHINE_STOPPED, { os: 'macos', driver: 'podman' }).result;
    expect(result).toMatchObject({
      status: 'fail',
      detail:
        'the podman machine is not running: Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`, or try `podman machine init` and `podman machine start` to manage a new Linux VM',
      hint: 'Start it: podman machine start (first podman machine init, when podman machine list shows none).',
    });
  });

  it('on Linux, names the service podman is pointed at when it cannot reach it (recorded here)', async () => {
    const result = await run(PODMAN_LINUX_SERVICE_UNREACHABLE).result;
    expect(result.status).toBe('warn');
    expect(result.detail).toMatch(
      /^podman cannot reach the service it is pointed at: Cannot connect to Podman\./,
    );
    expect(result.hint).toContain('CONTAINER_HOST');
  });

  it('fails for driver podman when it is missing, and is skipped otherwise', async () => {
    const needed = await run({ notInstalled: true }, { os: 'windows', driver: 'podman' }).result;
    expect(needed).toMatchObject({ status: 'fail', detail: 'podman is not installed (not on PATH)' });
    expect(needed.hint).toContain('winget install RedHat.Podman');
    expect(await run({ notInstalled: true }).result).toMatchObject({
      status: 'skip',
      detail: 'podman is not installed (not on PATH); not needed for driver auto',
    });
  });

  it('does not fail the doctor for a podman machine that hangs when another driver is chosen', async () => {
    expect(await run({ timeout: true }, { os: 'macos', driver: 'docker' }).result).toMatchObject({
      status: 'skip',
      detail: 'podman did not finish in time; not needed for driver docker',
    });
  });

  it('reports output it cannot read as a failure of the command', async () => {
    const result = await run(
      { stderr: 'Error: unknown flag: --format\n', exitCode: 125 },
      { driver: 'podman' },
    ).result;
    expect(result).toMatchObject({
      status: 'fail',
      detail: 'podman version --format json failed: Error: unknown flag: --format',
    });
  });
});
