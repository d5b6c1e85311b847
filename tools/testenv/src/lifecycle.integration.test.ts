import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProcessRunner } from '@qed/core';
import { expect, it } from 'vitest';
import { testenvLayout } from './layout.js';
import { startPrivateApiServer } from './private-apiserver.js';
import { isAlive, isPortListening } from './processes.js';
import { down, readState, up } from './testenv.js';
import { describeOnTestenv } from './vitest.js';

// A second, private environment (its own state dir and ports) so that stopping it
// cannot disturb the shared one the other suites use.
describeOnTestenv('testenv up and down of a private environment', () => {
  it('starts, reports a second up as already running, and down leaves no process or port behind', async () => {
    // Short path: the podman socket lives under it and unix socket paths are limited.
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'qte-'));
    const layout = testenvLayout(process.cwd(), { ...process.env, QED_TESTENV_DIR: stateDir });
    const deps = { layout, runner: new ProcessRunner(), progress: () => undefined };

    const first = await up(deps, 'user');
    expect(first.alreadyRunning).toBe(false);
    const state = await readState(layout);
    expect(state?.phase).toBe('running');
    const pids = Object.values(state?.pids ?? {});
    expect(Object.keys(state?.pids ?? {})).toEqual(
      expect.arrayContaining(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'podman']),
    );
    expect(await readFile(layout.envFile, 'utf8')).toContain(`export QED_TEST_REGISTRY='127.0.0.1:${state?.ports.registry}'`);

    const second = await up(deps, 'user');
    expect(second.alreadyRunning).toBe(true);
    expect(second.state.pids).toEqual(state?.pids);

    // A private API server a test left running on this environment: `down` finds it on record.
    const { connection } = second.state;
    const leftRunning = await startPrivateApiServer(connection, await mkdtemp(path.join(os.tmpdir(), 'qte-private-')));
    const privatePid = leftRunning.pid() as number;
    expect(isAlive(privatePid)).toBe(true);

    const result = await down(deps);
    expect(result.wasRunning).toBe(true);
    expect(result.stopped).toContain(`private kube-apiserver (PID ${privatePid})`);
    expect(isAlive(privatePid), 'the private API server outlived down').toBe(false);
    for (const pid of pids) expect(isAlive(pid), `PID ${pid} still alive`).toBe(false);
    for (const port of Object.values(state?.ports ?? {})) {
      expect(await isPortListening(port), `port ${port} still listening`).toBe(false);
    }
    expect(await processesNaming(stateDir)).toEqual([]);
    await expect(readdir(stateDir)).rejects.toThrow(/ENOENT/);
    expect((await down(deps)).wasRunning).toBe(false);
  });
});

/** Live processes whose command line names the directory (conmon, containers …). */
async function processesNaming(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(dir) && isAlive(Number(entry))) found.push(`${entry}: ${cmdline.replace(/\0/g, ' ')}`);
  }
  return found;
}
