import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from '@qed/core';
import { afterEach, describe, expect, it } from 'vitest';

// The built bin, run as a user does; the doctor step's kubectl is a stand-in that never
// answers and has a child that ignores SIGTERM (a wedged tool's helper).
const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));
const HANGING_KUBECTL = `#!/bin/sh
sh -c 'trap "" TERM; echo $$ > "$QED_FAKE_PIDS/child.new"; mv "$QED_FAKE_PIDS/child.new" "$QED_FAKE_PIDS/child"; exec sleep 600' &
echo $$ > "$QED_FAKE_PIDS/kubectl.new"; mv "$QED_FAKE_PIDS/kubectl.new" "$QED_FAKE_PIDS/kubectl"
wait
`;

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone, as it should be.
    }
  }
});

/** Polls (a bounded number of times) until `probe` gives a value. */
async function poll<T>(what: string, probe: () => Promise<T | null>, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never saw ${what}`);
}

describe.runIf(process.platform !== 'win32')('qed-bootstrap stopped by two signals', () => {
  it('the second waits until the running command and its children are killed (SIGKILL for one that ignores SIGTERM), then leaves with the first one\'s code', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-cli-signals-'));
    const bin = path.join(cwd, 'bin');
    const pids = path.join(cwd, 'pids');
    await mkdir(bin);
    await mkdir(pids);
    await writeFile(path.join(bin, 'kubectl'), HANGING_KUBECTL, { mode: 0o755 });
    const env: Record<string, string | undefined> = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      QED_FAKE_PIDS: pids,
      DOCKER_HOST: undefined,
      KUBECONFIG: '/nonexistent/qed-cli-test/kubeconfig',
      CI: 'true',
      HOME: cwd,
    };
    const child = spawn(process.execPath, [BIN, '--yes', '--json', '--target', 'context:nowhere'], {
      cwd,
      env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const pidIn = (name: string) => () => readFile(path.join(pids, name), 'utf8').then((text) => Number(text), () => null);
      const kubectl = await poll('the stand-in kubectl start', pidIn('kubectl'));
      const helper = await poll("its child's PID", pidIn('child'));
      leftovers.push(kubectl, helper);

      child.kill('SIGTERM');
      await poll('the doctor step interrupted', async () => (stdout.includes('"detail":"interrupted (SIGTERM)"') ? true : null));
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(143);
      // SIGKILL lands an instant after it is sent; gone within a bounded number of looks, or never.
      await poll('the helper that ignores SIGTERM killed', async () => (isProcessAlive(helper) ? null : true), 40).catch(() => undefined);
      expect(isProcessAlive(kubectl), 'the stand-in kubectl outlived qed-bootstrap').toBe(false);
      expect(isProcessAlive(helper), 'its child (SIGTERM ignored) outlived qed-bootstrap').toBe(false);
      expect(stderr).toContain('waiting up to 10s for the running command and its children to stop');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
