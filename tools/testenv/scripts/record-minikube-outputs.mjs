#!/usr/bin/env node
// Records what the real minikube prints, in every state the unit tests replay, into
// packages/minikube/src/__fixtures__/minikube-<version>/<name>.json, each with the
// command, exit code, minikube version and date. Run on the minikube lane, which it
// leaves running as it found it:
//   npx nx run testenv:minikube-up && node tools/testenv/scripts/record-minikube-outputs.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minikubeLaneLayout, takeLaneTurn } from 'testenv/minikube-lane';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// Stops and pauses the lane's cluster: not while a test suite uses it.
const turn = await takeLaneTurn(minikubeLaneLayout(root));
const envFile = path.join(root, '.testenv', 'minikube.env');
const laneEnv = Object.fromEntries(
  readFileSync(envFile, 'utf8')
    .split('\n')
    .map((line) => /^export ([A-Z_]+)='(.*)'$/.exec(line))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
const env = { ...process.env, ...laneEnv, NO_COLOR: '1' };
const profile = laneEnv.QED_TEST_MINIKUBE_PROFILE;
const run = (args, extraEnv = {}) => spawnSync('minikube', args, { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 600_000 });
const version = JSON.parse(run(['version', '-o', 'json']).stdout).minikubeVersion;
const dir = path.join(root, 'packages', 'minikube', 'src', '__fixtures__', `minikube-${version}`);
mkdirSync(dir, { recursive: true });
const recordedAt = new Date().toISOString().slice(0, 10);

/** Runs and records one command (the lane's profile is minikube's default, "minikube": the none driver allows no other). */
function record(name, args, note, extraEnv = {}) {
  const result = run(args, extraEnv);
  const scrub = (text) => text.replaceAll(laneEnv.MINIKUBE_HOME, 'MINIKUBE_HOME');
  const fixture = {
    command: `minikube ${args.join(' ')}`,
    minikubeVersion: version,
    recordedAt,
    note,
    exitCode: result.status,
    stdout: scrub(result.stdout),
    stderr: scrub(result.stderr),
  };
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  process.stderr.write(`recorded ${name} (exit ${result.status})\n`);
  return result;
}

record('version', ['version', '-o', 'json'], 'minikube version -o json');
record('status-running', ['status', '-p', profile, '-o', 'json'], 'a running none-driver cluster (containerd)');
record('profile-list-running', ['profile', 'list', '-o', 'json'], 'one valid profile: the running none-driver cluster');
record('ip-running', ['ip', '-p', profile], 'minikube ip of a none-driver cluster: this machine\'s address');
const empty = mkdtempSync(path.join(os.tmpdir(), 'qed-minikube-home-'));
record('profile-list-none', ['profile', 'list', '-o', 'json'], 'no profile at all (an empty MINIKUBE_HOME)', { MINIKUBE_HOME: empty });
rmSync(empty, { recursive: true, force: true });
record('status-absent', ['status', '-p', 'qed-no-such-profile', '-o', 'json'], 'a profile that does not exist');
record('start-version-unknown', ['start', '-p', 'qed-no-such-profile', '--driver', 'none', '--kubernetes-version', 'v1.99.0'], 'a Kubernetes version minikube does not know, with no internet to look it up');
record('pause', ['pause', '-p', profile], 'pausing the running cluster');
record('status-paused', ['status', '-p', profile, '-o', 'json'], 'a paused none-driver cluster');
record('unpause', ['unpause', '-p', profile], 'unpausing it');
record('stop', ['stop', '-p', profile], 'stopping the none-driver cluster');
record('status-stopped', ['status', '-p', profile, '-o', 'json'], 'a stopped none-driver cluster');
record('profile-list-stopped', ['profile', 'list', '-o', 'json'], 'the stopped profile');
const started = run(['start', '-p', profile]);
if (started.status !== 0) throw new Error(`could not start ${profile} again: ${started.stderr}`);
await turn.release();
process.stderr.write(`fixtures in ${dir}; ${profile} is running again\n`);
