import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLockFile, processStartToken, QED_GITIGNORE } from '@qed/core';
import { createStandInTools, type StandInAnswer, type StandInTools } from '@qed/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_NO_ENGINE, DOCKER_RUNNING } from '../../env-check/src/__fixtures__/docker-outputs.js';
import { KUBECTL_NO_CLUSTER } from '../../env-check/src/__fixtures__/kubectl-outputs.js';
import { MINIKUBE_1_37 } from '../../env-check/src/__fixtures__/minikube-outputs.js';

// These tests run the built bin as a user does, as a process, but never on this
// machine's tools: the PATH it gets holds only stand-ins answering in outputs
// recorded from the real ones. By default the machine of this project's CI: kubectl
// and go installed, the docker CLI without an engine, no minikube. HOME is a fresh
// folder and the project's config asks for a cluster any machine can hold, so each
// outcome is the same on a QED developer's laptop, with Docker and minikube
// installed, as on a machine with neither.
const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));
const RECORD_IMPORTS = fileURLToPath(new URL('./__fixtures__/record-imports.mjs', import.meta.url));
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting ANSI colour codes
const ANSI = /\u001b\[/;

/** Recorded on this project's machine (docker 28.2.2 with no engine, kubectl 1.32 with no cluster, go 1.26.8). */
const DOCKER_ENGINE_DOWN: StandInAnswer[] = [
  { args: ['version', '--format', '{{json .}}'], ...DOCKER_NO_ENGINE },
  {
    args: ['container', 'inspect', 'registry'],
    stdout: '[]\n',
    stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
    exitCode: 1,
  },
];
const KUBECTL: StandInAnswer[] = [{ args: ['version', '-o', 'json', '--request-timeout=5s'], ...KUBECTL_NO_CLUSTER }];
const MACOS_PROBES = {
  // Asked on macOS only: a Mac that can run VMs, nothing listening on the registry's port.
  sysctl: [{ args: ['-n', 'kern.hv_support'], stdout: '1\n' }],
  lsof: [{ args: ['-nP', '-iTCP:5000', '-sTCP:LISTEN', '-Fpc'], exitCode: 1 }],
};

/** The folders each run uses: the stand-ins, a HOME, and a project folder with its config. */
let machine: StandInTools;
let home: string;
let project: string;

/** A folder with a qed.config.yaml whose cluster fits any machine, so CPUs, memory and disk never fail the doctor. */
async function projectDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-cli-project-'));
  await writeFile(path.join(dir, 'qed.config.yaml'), 'cluster:\n  cpus: 2\n  memoryMb: 2048\n  diskSizeMb: 2000\n');
  return dir;
}

beforeAll(async () => {
  machine = await createStandInTools({
    docker: DOCKER_ENGINE_DOWN,
    kubectl: KUBECTL,
    go: [{ args: ['version'], stdout: 'go version go1.26.8 linux/amd64\n' }],
    // What --version and doctor --json ask of the checkout the CLI runs from.
    git: [{ args: ['rev-parse', '--short', 'HEAD'], stdout: 'abc1234\n' }],
    ...MACOS_PROBES,
  });
  home = await mkdtemp(path.join(os.tmpdir(), 'qed-cli-home-'));
  project = await projectDir();
});

function cli(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string; nodeArgs?: string[]; tools?: StandInTools } = {}) {
  // Built from nothing, not from process.env: no variable of the shell running the
  // tests (under `npm test`, the test environment's DOCKER_HOST and KUBECONFIG) reaches it.
  const env: Record<string, string | undefined> = {
    PATH: (options.tools ?? machine).binDir,
    HOME: home,
    TMPDIR: os.tmpdir(),
    KUBECONFIG: '/nonexistent/qed-cli-test/kubeconfig',
    CI: 'true',
    ...options.env,
  };
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    cwd: options.cwd ?? project,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('qed-bootstrap --help', () => {
  it('lists the commands and exits 0', () => {
    const { code, stdout } = cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: qed-bootstrap');
    expect(stdout).toMatch(/doctor \[options\]\s+check this machine/);
    expect(stdout).toMatch(/config \[options\]\s+inspect the project config/);
  });

  it('loads no command module, runner, config schema or Kubernetes client', () => {
    const { code, stderr } = cli(['--help'], { nodeArgs: ['--import', RECORD_IMPORTS] });
    expect(code).toBe(0);
    const imports = JSON.parse(/@@imports (.*)/.exec(stderr)?.[1] ?? '[]') as string[];
    expect(imports.some((url) => url.includes('commander'))).toBe(true);
    for (const heavy of ['/ajv/', '/yaml/', '@kubernetes', '/packages/core/', '/packages/env-check/', '/commands/']) {
      expect(imports.filter((url) => url.includes(heavy)), heavy).toEqual([]);
    }
  });

  it('--version (and -v, before any command) prints the version and the commit of the checkout, or the version alone without git', async () => {
    for (const args of [['--version'], ['-v'], ['-v', 'doctor']]) {
      const { code, stdout } = cli(args);
      expect(code, args.join(' ')).toBe(0);
      expect(stdout).toBe('qed-bootstrap 0.1.0 (commit abc1234)\n');
    }
    expect(JSON.parse(cli(['--version', '--json']).stdout)).toEqual({ version: '0.1.0', commit: 'abc1234' });
    const noGit = await createStandInTools({});
    expect(cli(['--version'], { tools: noGit }).stdout).toBe('qed-bootstrap 0.1.0\n');
  });

  it('suggests the right command for a typo and exits non-zero', () => {
    const { code, stderr } = cli(['docter']);
    expect(code).not.toBe(0);
    expect(stderr).toContain("unknown command 'docter'");
    expect(stderr).toContain('(Did you mean doctor?)');
  });
});

describe('qed-bootstrap doctor', () => {
  it('--json: kubectl ok with its version, docker not ok with a hint, exit 1', () => {
    const { code, stdout } = cli(['doctor', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; checks: Array<{ id: string; status: string; version: string | null; required: string | null; hint: string | null }> };
    expect(report.ok).toBe(false);
    // Which qed-bootstrap checked: a bug report carries it.
    expect(report).toMatchObject({ version: '0.1.0', commit: 'abc1234' });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId.kubectl?.status).toBe('ok');
    expect(byId.kubectl?.version).toBe('1.32.4-dispatcher');
    expect(byId.go?.version).toBe('1.26.8');
    expect(byId.docker?.status).toBe('fail');
    expect(byId.minikube?.status).toBe('fail');
    expect(byId.docker?.hint).toBeTruthy();
    for (const check of report.checks) {
      expect(Object.keys(check)).toEqual(expect.arrayContaining(['id', 'status', 'version', 'required', 'hint']));
    }
  });

  it('prints a table and the next step without colour when NO_COLOR is set, even with FORCE_COLOR', () => {
    const { code, stdout } = cli(['doctor'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(code).toBe(1);
    expect(stdout).toMatch(/STATUS\s+CHECK\s+VERSION\s+REQUIRED/);
    expect(stdout).toMatch(/fail\s+Docker engine/);
    expect(stdout).toContain('run `npx qed-bootstrap doctor` again');
    expect(stdout).not.toMatch(ANSI);
  });

  it('colours the table when FORCE_COLOR asks for it', () => {
    expect(cli(['doctor'], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(ANSI);
  });

  it('on a developer\'s laptop (an engine running, minikube installed) docker and minikube are ok, and the report too', async () => {
    const laptop = await createStandInTools({
      docker: [{ args: ['version', '--format', '{{json .}}'], ...DOCKER_RUNNING }],
      kubectl: KUBECTL,
      minikube: [{ args: ['version', '-o', 'json'], ...MINIKUBE_1_37 }],
      ...MACOS_PROBES,
    });
    const { code, stdout } = cli(['doctor', '--json'], { tools: laptop });
    const report = JSON.parse(stdout) as { ok: boolean; checks: Array<{ id: string; status: string; version: string | null }> };
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId.docker).toMatchObject({ status: 'ok', version: '28.0.4' });
    expect(byId.minikube).toMatchObject({ status: 'ok', version: '1.37.0' });
    expect(byId.go?.status).toBe('skip');
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
  });

  it('--debug shows each command as it runs', () => {
    const { stderr } = cli(['doctor', '--debug']);
    expect(stderr).toMatch(/\$ docker version --format/);
    expect(stderr).toMatch(/\$ kubectl version -o json/);
  });
});

describe('qed-bootstrap with no command', () => {
  it('runs the pipeline, which stops at the doctor naming what to fix, and records where to resume', async () => {
    const cwd = await projectDir();
    const { code, stdout, stderr } = cli([], { cwd });
    expect(code).toBe(1);
    expect(stderr).toMatch(/error: 2 required checks failed: docker \(.*\); minikube \(/);
    expect(stdout).toContain('fix: docker: ');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      'The doctor step failed. After the fix, resume with: npx qed-bootstrap (the same command resumes at doctor; `--from doctor` does too)',
    );
    expect(JSON.parse(await readFile(path.join(cwd, '.qed', 'bootstrap-state.json'), 'utf8'))).toMatchObject({ finished: [], failed: { step: 'doctor', code: 'DOCTOR_FAILED' } });
    expect(await readFile(path.join(cwd, '.qed', '.gitignore'), 'utf8')).toBe(QED_GITIGNORE);
  });

  it('run in a folder below the project, it reads the project\'s qed.config.yaml and keeps .qed/ beside it', async () => {
    const cwd = await realpath(await projectDir());
    const below = path.join(cwd, 'src', 'app');
    await mkdir(below, { recursive: true });
    const { code } = cli(['--to', 'doctor'], { cwd: below });
    expect(code).toBe(1);
    expect((await readdir(path.join(cwd, '.qed'))).sort()).toEqual(['.gitignore', 'bootstrap-state.json']);
    expect(await readdir(below)).toEqual([]);
  });

  it('--dry-run prints the plan of every step and writes nothing', async () => {
    const cwd = await projectDir();
    const { code, stdout } = cli(['--dry-run', '--to', 'docker-config'], { cwd });
    expect(code).toBe(0);
    expect(stdout).toContain('Dry run (target minikube, namespace qed): nothing is changed.');
    expect(stdout).toMatch(/\ndoctor: run \d+ checks; changes nothing\n/);
    expect(stdout).toMatch(/\ncluster: cannot be planned yet: /);
    expect(await readdir(cwd)).toEqual(['qed.config.yaml']);
  });

  it('a corrupt state file stops it before any step: the file, where it is broken and how to reset it, no stack trace; the lock is released', async () => {
    const cwd = await projectDir();
    const stateFile = path.join(cwd, '.qed', 'bootstrap-state.json');
    await mkdir(path.dirname(stateFile));
    await writeFile(stateFile, '{\n  "version": 1,\n  "finished": ["doctor",\n');
    const { code, stdout, stderr } = cli([], { cwd });
    expect(code).toBe(1);
    expect(stderr).toContain(`error: ${stateFile} is not JSON: Unexpected end of JSON input at line 4, column 1`);
    expect(stdout).toContain(`fix: It only records which steps finished. Delete it (\`rm ${stateFile}\`) and run again: the next run starts from the beginning`);
    expect(`${stdout}${stderr}`).not.toMatch(/^\s+at /m);
    // The .qed the user made gets its .gitignore when the run takes its lock there.
    expect((await readdir(path.join(cwd, '.qed'))).sort()).toEqual(['.gitignore', 'bootstrap-state.json']);
  });

  it('a run going on in the folder stops a second one, naming its PID and the lock file; a lock left by a dead run is taken over with a notice', async () => {
    const cwd = await projectDir();
    const lockFile = path.join(cwd, '.qed', 'bootstrap.lock');
    await mkdir(path.dirname(lockFile));
    const owner = { pid: process.pid, hostname: os.hostname(), processStart: processStartToken(process.pid), acquiredAt: '2026-01-02T03:04:05.000Z', command: 'npx qed-bootstrap --yes' };
    await writeFile(lockFile, formatLockFile(owner));
    const locked = cli(['--json'], { cwd });
    expect(locked.code).toBe(1);
    expect(JSON.parse(locked.stdout)).toMatchObject({
      ok: false,
      error: {
        code: 'BOOTSTRAP_LOCKED',
        message: `another qed-bootstrap run is going on in this folder: PID ${process.pid} (npx qed-bootstrap --yes, started 2026-01-02T03:04:05.000Z) holds ${lockFile}`,
        hint: expect.stringContaining(`Wait for it to finish, or stop it (Ctrl-C in its terminal, or \`kill ${process.pid}\`)`),
        data: { lockFile, pid: process.pid },
      },
    });
    expect((await readdir(path.join(cwd, '.qed'))).sort()).toEqual(['.gitignore', 'bootstrap.lock']);

    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    await writeFile(lockFile, formatLockFile({ ...owner, pid: dead }));
    const tookOver = cli([], { cwd });
    expect(tookOver.stderr).toContain(`took over ${lockFile}: it was left by PID ${dead} (npx qed-bootstrap --yes, started 2026-01-02T03:04:05.000Z), which is no longer running`);
    // It ran (the doctor fails: no engine, no minikube), and released the lock.
    expect(tookOver.stdout).toContain('The doctor step failed.');
    expect((await readdir(path.join(cwd, '.qed'))).sort()).toEqual(['.gitignore', 'bootstrap-state.json']);
  });

  it('refuses an unknown step or target with the ones there are', () => {
    expect(cli(['--from', 'deploy']).stderr).toContain('--from "deploy" is not a step of the bootstrap');
    expect(cli(['--target', 'kind']).stdout).toContain('fix: Use --target minikube (the default) or --target context:NAME');
  });
});

describe('qed-bootstrap cluster flags', () => {
  it('--container-runtime and --extra-config get the checks the config keys get, before minikube is asked', () => {
    const runtime = cli(['cluster', 'up', '--dry-run', '--container-runtime', 'podman']);
    expect(runtime.code).not.toBe(0);
    expect(runtime.stderr).toContain('--container-runtime must be one of docker, containerd, cri-o, not "podman"');
    const extra = cli(['cluster', 'up', '--dry-run', '--extra-config', 'kubelet.fail-cgroupv1=false', '--extra-config', 'fail-cgroupv1=false']);
    expect(extra.code).not.toBe(0);
    expect(extra.stderr).toContain('--extra-config must be component.key=value');
    expect(extra.stderr).toContain('not "fail-cgroupv1=false"');
  });
});

describe('qed-bootstrap config', () => {
  it('show --json prints the defaults when there is no config file', () => {
    const { code, stdout } = cli(['config', 'show', '--json'], { cwd: os.tmpdir() });
    expect(code).toBe(0);
    const { file, config } = JSON.parse(stdout);
    expect(file).toBeNull();
    expect(config.registry.host).toBe('127.0.0.1:5000');
  });

  it('show finds qed.config.yaml in the nearest parent that has one; --debug says which; --config wins', async () => {
    const dir = await realpath(await projectDir());
    const below = path.join(dir, 'a', 'b');
    await mkdir(below, { recursive: true });
    const found = cli(['config', 'show', '--json', '--debug'], { cwd: below });
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({ file: path.join(dir, 'qed.config.yaml'), config: { cluster: { cpus: 2 } } });
    expect(found.stderr).toContain(`# config: ${path.join(dir, 'qed.config.yaml')}; project folder ${dir}`);
    expect(cli(['config', 'show', '--json'], { cwd: below }).stderr).toBe('');
    await writeFile(path.join(below, 'other.yaml'), 'cluster:\n  cpus: 3\n');
    const chosen = JSON.parse(cli(['config', 'show', '--json', '-c', 'other.yaml'], { cwd: below }).stdout);
    expect(chosen).toMatchObject({ file: path.join(below, 'other.yaml'), config: { cluster: { cpus: 3 } } });
  });

  it('validate names file, line and key of each problem, without a stack trace', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-cli-'));
    const file = path.join(dir, 'qed.config.yaml');
    await writeFile(file, 'cluster:\n  driver: virtualbox\n  cpus: lots\nregistry:\n  hots: 127.0.0.1:5001\n');
    const { code, stderr, stdout } = cli(['config', 'validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:3:9 cluster.cpus: must be integer`);
    expect(stderr).toContain(`${file}:5:3 registry.hots: unknown key "hots"`);
    expect(stdout).toContain('fix: Fix the key named above');
    expect(stderr + stdout).not.toMatch(/\n\s+at /);
  });

  it('--json renders a config error as a JSON error object', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-cli-'));
    const { code, stdout } = cli(['config', 'validate', '--json', '--config', path.join(dir, 'missing.yaml')]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_NOT_FOUND', hint: 'Check the path given to --config.' } });
  });
});

describe('qed-bootstrap manifests migrate (no cluster: the schema and reference checks only)', () => {
  // Our own files in the shapes of the original project's broken manifests.
  const BROKEN = fileURLToPath(new URL('../../manifests/src/migrate/__fixtures__/broken-legacy/', import.meta.url));

  it('refuses, writing nothing, when any file would not apply: each problem at file, line, object and field', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-cli-')), 'migrated');
    const { code, stdout, stderr } = cli(['manifests', 'migrate', BROKEN, '--out', out, '--data-root', '/home/me/qed']);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `${BROKEN}qed-django-deployment.yml:24:1 Deployment qed-django spec.template.spec.containers[0].volumeMounts[2].name: volumeMounts[2] names volume django-pvolume, which the pod does not define: add it under volumes or remove the mount`,
    );
    expect(stderr).toContain(`${BROKEN}qed-flask-deployment.yml:20:1 Deployment qed-flask`);
    expect(stdout).toContain('--keep-going writes the files that passed');
    expect(stderr + stdout).not.toMatch(/\n\s+at /);
    expect(await readdir(out).catch(() => 'no folder')).toBe('no folder');
  });

  it('--keep-going writes the files that pass, repaired, and still exits 1', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'qed-cli-')), 'migrated');
    const { code, stdout, stderr } = cli(['manifests', 'migrate', BROKEN, '--out', out, '--data-root', '/home/me/qed', '--keep-going']);
    expect(code).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['mongodb-persistentVolume1.yaml', 'mongodb-persistentVolumeClaim1.yaml', 'mongodb-statefulset.yaml']);
    expect(stderr).toMatch(/mongodb-persistentVolume1\.yml:5 PersistentVolume mongodb-pVolume: PersistentVolume name mongodb-pVolume -> mongodb-pvolume/);
    expect(stdout).toMatch(/wrote 3 files to .*; refused 2 files \(above\)\. Checked against the Kubernetes schema only: /);
    expect(await readFile(path.join(out, 'mongodb-persistentVolumeClaim1.yaml'), 'utf8')).toContain('volumeName: mongodb-pvolume\n');
  });

  it('--json lists what was refused and why, with the same exit code', () => {
    const { code, stdout } = cli(['manifests', 'migrate', BROKEN, '--dry-run', '--json', '--data-root', '/home/me/qed', '--keep-going']);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(false);
    expect(result.written).toEqual([]);
    expect(result.refused.map((r: { source: string }) => path.basename(r.source)).sort()).toEqual(['qed-django-deployment.yml', 'qed-flask-deployment.yml']);
  });
});
