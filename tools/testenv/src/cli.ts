import { spawn } from 'node:child_process';
import path from 'node:path';
import { isQedError, isTruthyEnv, ProcessRunner } from '@qed/core';
import { testenvLayout } from './layout.js';
import {
  acquireLaneLease,
  formatLaneEnv,
  type MinikubeLaneConnection,
  minikubeLaneDown,
  minikubeLaneLayout,
  minikubeLaneStatus,
  minikubeLaneUp,
} from './minikube-lane/minikube-lane.js';
import { acquireLease, down, formatEnvFile, status, up } from './testenv.js';
import { TESTENV_ROOT } from './versions.js';

const USAGE = `usage: testenv up | down | status [--json] | with [--minikube] -- COMMAND [ARGS...]
       testenv minikube-up | minikube-down | minikube-status [--json]

  up               start the control plane, podman and the registry (idempotent)
  down             stop everything it started, by PID, and remove .testenv/
  status           report what is running
  with             run COMMAND with the environment up and its variables set; stops it
                   afterwards unless it was already running. --minikube: the real-minikube
                   lane too (under CI=true a lane that cannot start fails the run)
  minikube-up      the real-minikube lane: this machine as a none-driver node (idempotent)
  minikube-down    delete the cluster, stop the lane's processes, undo every host change
  minikube-status  report the lane`;

const repoRoot = path.resolve(TESTENV_ROOT, '..', '..');
const layout = testenvLayout(repoRoot);
const runner = new ProcessRunner();
const progress = (message: string) => process.stderr.write(`[testenv] ${message}\n`);
const deps = { layout, runner, progress };
const laneDeps = { layout: minikubeLaneLayout(repoRoot), runner, progress };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up': {
      const result = await up(deps, 'user');
      const seconds = (result.durationMs / 1000).toFixed(1);
      progress(result.alreadyRunning ? 'already running; nothing to do' : `up in ${seconds}s`);
      process.stdout.write(`# source ${layout.envFile}\n${formatEnvFile(result.state.connection)}`);
      return 0;
    }
    case 'down': {
      const result = await down(deps);
      progress(
        result.wasRunning
          ? `stopped ${result.stopped.join(', ') || 'nothing (already dead)'} in ${(result.durationMs / 1000).toFixed(1)}s`
          : 'not running; nothing to do',
      );
      return 0;
    }
    case 'status': {
      const result = await status(deps);
      if (rest.includes('--json')) {
        process.stdout.write(`${JSON.stringify({ running: result.state !== null, ...result }, null, 2)}\n`);
      } else if (!result.state) {
        process.stdout.write('not running\n');
      } else {
        process.stdout.write(
          `${result.health?.healthy ? 'running' : `unhealthy: ${result.health?.problems.join('; ')}`} (started by ${result.state.startedBy} at ${result.state.startedAt})\n${formatEnvFile(result.state.connection)}`,
        );
      }
      return result.state && !result.health?.healthy ? 1 : 0;
    }
    case 'minikube-up': {
      const result = await minikubeLaneUp(laneDeps, 'user');
      progress(result.alreadyRunning ? 'minikube lane already running; nothing to do' : `minikube lane up in ${(result.durationMs / 1000).toFixed(1)}s`);
      process.stdout.write(`# source ${laneDeps.layout.checkoutEnvFile}\n${formatLaneEnv(result.state.connection)}`);
      return 0;
    }
    case 'minikube-down': {
      const result = await minikubeLaneDown(laneDeps);
      progress(
        result.wasRunning
          ? `minikube lane down in ${(result.durationMs / 1000).toFixed(1)}s (stopped ${result.stopped.join(', ') || 'nothing'}); host changes undone`
          : 'minikube lane not running; nothing to do',
      );
      return 0;
    }
    case 'minikube-status': {
      const result = await minikubeLaneStatus(laneDeps);
      if (rest.includes('--json')) process.stdout.write(`${JSON.stringify({ running: result.state !== null, ...result }, null, 2)}\n`);
      else if (!result.state) process.stdout.write('not running\n');
      else process.stdout.write(`${result.health?.healthy ? 'running' : `unhealthy: ${result.health?.problems.join('; ')}`}\n${formatLaneEnv(result.state.connection)}`);
      return result.state && !result.health?.healthy ? 1 : 0;
    }
    case 'with': {
      const separator = rest.indexOf('--');
      const [cmd, ...args] = separator >= 0 ? rest.slice(separator + 1) : rest;
      if (!cmd) break;
      const withMinikube = (separator >= 0 ? rest.slice(0, separator) : []).includes('--minikube');
      const lease = await acquireLease(deps);
      let lane: { connection: MinikubeLaneConnection; release: () => Promise<void> } | null = null;
      try {
        if (withMinikube) {
          try {
            lane = await acquireLaneLease(laneDeps);
          } catch (error) {
            // Outside CI a machine that cannot host the lane (a laptop with Docker) still runs every other test.
            if (isTruthyEnv(process.env.CI)) throw error;
            progress(`the minikube lane is not available, its tests will say so: ${(error as Error).message}`);
          }
        }
        return await new Promise<number>((resolve) => {
          const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...lease.connection } });
          child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
          child.on('error', (error) => {
            progress(`could not run ${cmd}: ${error.message}`);
            resolve(127);
          });
        });
      } finally {
        // Both, whatever the first says: a lane that could not put the host back must not keep the other up.
        try {
          await lane?.release();
        } finally {
          await lease.release();
        }
      }
    }
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isQedError(error)) {
      process.stderr.write(`[testenv] error: ${error.message}\n`);
      if (error.hint) process.stderr.write(`[testenv] fix: ${error.hint}\n`);
    } else {
      process.stderr.write(`[testenv] unexpected error (a bug in tools/testenv): ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
