// What a bench on the real minikube lane starts with and gives back: the kwok test
// environment (its podman builds and pushes), the lane's turn (no test suite on the
// cluster while timings run) and its lease, a private HOME, and `sh` with that
// environment. Shared by bench/dev.mjs and bench/bootstrap-minikube.mjs.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProcessRunner } from '@qed/core';
import { acquireLease, testenvLayout } from 'testenv';
import { acquireLaneLease, minikubeLaneLayout, takeLaneTurn } from 'testenv/minikube-lane';

/**
 * Takes the lane for one bench. `close()` gives everything back (the temp folder, the
 * lane's lease and turn, the kwok lease); the bench undoes its own cluster changes first.
 */
export async function openLaneSession({ root, tmpPrefix, timeoutMs, progress }) {
  const runner = new ProcessRunner();
  const kwok = await acquireLease({ layout: testenvLayout(root), runner, progress });
  const turn = await takeLaneTurn(minikubeLaneLayout(root));
  const laneLease = await acquireLaneLease({ layout: minikubeLaneLayout(root), runner, progress });
  const lane = laneLease.connection;
  const dir = await mkdtemp(path.join(os.tmpdir(), tmpPrefix));
  const env = { ...process.env, ...lane, DOCKER_HOST: kwok.connection.DOCKER_HOST, HOME: dir, CI: 'true', NO_COLOR: '1' };
  const sh = (command, args, options = {}) => spawnSync(command, args, { env, encoding: 'utf8', timeout: timeoutMs, ...options });
  const must = (result, what) => {
    if (result.status !== 0) throw new Error(`${what} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    return result;
  };
  const close = async () => {
    await rm(dir, { recursive: true, force: true });
    await laneLease.release();
    await turn.release();
    await kwok.release();
  };
  return { lane, id: Date.now().toString(36), dir, env, sh, must, close };
}
