import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));
const TMUX = '/usr/bin/tmux';

interface StepEvent {
  type: 'step' | 'pipeline';
  step?: string;
  status: string;
  detail?: string;
  durationMs: number;
  failedStep?: string;
}

describeOnTestenv('qed-bootstrap (the guided pipeline) end to end on the real test environment', (connection) => {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const env = { KUBECONFIG: connection.KUBECONFIG, DOCKER_HOST: connection.DOCKER_HOST };
  const namespaces: string[] = [];
  const registries: string[] = [];
  const dirs: string[] = [];
  const sh = (command: string, args: string[]) => spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });

  afterAll(async () => {
    // Only what these tests made: their namespaces, the PersistentVolumes named after them, their registries.
    for (const ns of namespaces) {
      sh('kubectl', ['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
      const pvs = sh('kubectl', ['get', 'pv', '-o', 'name']).stdout.split('\n').filter((pv) => pv.startsWith(`persistentvolume/${ns}-`));
      if (pvs.length > 0) sh('kubectl', ['delete', '--wait=false', ...pvs]);
    }
    for (const name of registries) {
      sh('docker', ['rm', '-f', name]);
      sh('docker', ['volume', 'rm', `${name}-data`]);
    }
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** A project folder with a qed.config.yaml; HOME points there too, so generated secrets stay inside it. */
  const project = async (name: string, config: string, files: Record<string, string> = {}) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `qed-e2e-${name}-`));
    dirs.push(dir);
    await writeFile(path.join(dir, 'qed.config.yaml'), config);
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    return dir;
  };
  const cli = (cwd: string, args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, '--yes', '--target', `context:${connection.QED_TESTENV_CONTEXT}`, ...args], {
      cwd,
      env: { ...process.env, ...env, HOME: cwd, CI: 'true', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 170_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const events = (stdout: string): StepEvent[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as StepEvent);
  const stepEvent = (all: StepEvent[], step: string, status: string) => all.find((e) => e.type === 'step' && e.step === step && e.status === status);
  const newNamespace = (name: string) => {
    const ns = `qed-e2e-${name}-${tag}`.slice(0, 63);
    namespaces.push(ns);
    return ns;
  };
  const newRegistry = async (name: string) => {
    const registry = { name: `registry-e2e-${name}-${tag}`, port: await freePortInInsecureRange() };
    registries.push(registry.name);
    return registry;
  };
  /** Every object in the namespace (and its PersistentVolumes) with its resourceVersion. */
  const resourceVersions = (ns: string) => {
    const read = (args: string[]) => (JSON.parse(sh('kubectl', [...args, '-o', 'json']).stdout) as { items: Array<{ kind: string; metadata: { name: string; resourceVersion: string } }> }).items;
    const items = [
      ...read(['get', 'deployments,statefulsets,services,persistentvolumeclaims,secrets,configmaps', '-n', ns]),
      ...read(['get', 'pv']).filter((pv) => pv.metadata.name.startsWith(`${ns}-`)),
      ...read(['get', 'namespaces', '--field-selector', `metadata.name=${ns}`]),
    ];
    return Object.fromEntries(items.map((i) => [`${i.kind}/${i.metadata.name}`, i.metadata.resourceVersion]));
  };
  const catalog = async (port: number) => ((await (await fetch(`http://127.0.0.1:${port}/v2/_catalog?n=1000`)).json()) as { repositories: string[] }).repositories;
  const expectAllReady = (cwd: string, ns: string) => {
    const status = spawnSync(process.execPath, [BIN, 'status', '--namespace', ns, '--context', connection.QED_TESTENV_CONTEXT, '--json'], { cwd, env: { ...process.env, ...env, CI: 'true' }, encoding: 'utf8' });
    expect(status.status, status.stderr).toBe(0);
    const parsed = JSON.parse(status.stdout) as { ready: boolean; workloads: Array<{ name: string; ready: boolean; images: string[] }> };
    expect(parsed.ready).toBe(true);
    expect(parsed.workloads.length).toBeGreaterThan(0);
    return parsed;
  };

  it('(a) the default QED config, from nothing to every workload ready: remote images kept and reported, nothing built', async () => {
    const registry = await newRegistry('a');
    const ns = newNamespace('a');
    const cwd = await project('a', `registry:\n  host: 127.0.0.1:${registry.port}\n  name: ${registry.name}\ndataRoot: ./data\n`);
    const run = cli(cwd, ['--namespace', ns, '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const all = events(run.stdout);
    for (const step of ['doctor', 'cluster', 'registry', 'images', 'manifests', 'apply', 'wait', 'summary']) {
      expect(stepEvent(all, step, 'succeeded'), `${step}\n${run.stdout}`).toBeDefined();
    }
    expect(stepEvent(all, 'docker-config', 'skipped')?.detail).toContain('macOS');
    expect(stepEvent(all, 'registry', 'succeeded')?.detail).toContain('local-registry-hosting not published');
    expect(stepEvent(all, 'images', 'succeeded')?.detail).toMatch(/^11 remote \(kept as is\) \(qed-nginx, qed-django/);
    expect(all.at(-1)).toMatchObject({ type: 'pipeline', status: 'succeeded' });
    const status = expectAllReady(cwd, ns);
    expect(status.workloads).toHaveLength(15);
    expect(status.workloads.find((w) => w.name === 'django')?.images).toEqual(['quanted/qed-django:latest']);
    expect(await catalog(registry.port)).toEqual([]);
  });

  it('(b) FROM-scratch images built and pushed, all ready; a second run and --dry-run change nothing; a stopped registry fails the images step and the re-run resumes there', async () => {
    const registry = await newRegistry('b');
    const ns = newNamespace('b');
    const repo = `qed-e2e-${tag}`;
    const cwd = await project(
      'b',
      [
        '# images built from the fixtures below',
        'registry:',
        `  host: 127.0.0.1:${registry.port}`,
        `  name: ${registry.name}`,
        'images:',
        `  - { name: ${repo}/qed-nginx, source: "quanted/qed_nginx:latest", context: ./images/nginx }`,
        `  - { name: ${repo}/qed-django, source: "quanted/qed-django:latest", context: ./images/django }`,
        'dataRoot: ./data',
        '',
      ].join('\n'),
      {
        'images/nginx/Dockerfile': 'FROM scratch\nCOPY site.txt /\n',
        'images/nginx/site.txt': `nginx ${tag}\n`,
        'images/django/Dockerfile': 'FROM scratch\nCOPY app.txt /\n',
        'images/django/app.txt': `django ${tag}\n`,
      },
    );
    const args = ['--namespace', ns, '--only', 'nginx,django,redis', '--json'];
    const first = cli(cwd, args);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(stepEvent(events(first.stdout), 'images', 'succeeded')?.detail).toBe('2 built and pushed');
    const status = expectAllReady(cwd, ns);
    expect(status.workloads.map((w) => w.name).sort()).toEqual(['django', 'nginx', 'redis']);
    expect(status.workloads.find((w) => w.name === 'nginx')?.images[0]).toMatch(new RegExp(`^127\\.0\\.0\\.1:${registry.port}/${repo}/qed-nginx:c-[0-9a-f]+$`));
    expect(status.workloads.find((w) => w.name === 'redis')?.images).toEqual(['quanted/redis:latest']);
    const pushed = await catalog(registry.port);
    expect(pushed.sort()).toEqual([`${repo}/qed-django`, `${repo}/qed-nginx`]);

    // A second run changes nothing: no build, no resourceVersion bump.
    const versions = resourceVersions(ns);
    expect(Object.keys(versions).length).toBeGreaterThan(10);
    const second = cli(cwd, args);
    expect(second.code, second.stderr).toBe(0);
    const secondEvents = events(second.stdout);
    expect(stepEvent(secondEvents, 'images', 'succeeded')?.detail).toBe('2 unchanged');
    expect(stepEvent(secondEvents, 'apply', 'succeeded')?.detail).toMatch(/^\d+ unchanged in namespace/);
    expect(resourceVersions(ns)).toEqual(versions);

    // --dry-run prints every step's plan and changes nothing, not even the state file.
    const stateFile = path.join(cwd, '.qed', 'bootstrap-state.json');
    const stateBefore = await readFile(stateFile, 'utf8');
    const dry = cli(cwd, ['--namespace', ns, '--only', 'nginx,django,redis', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    for (const step of ['doctor', 'cluster', 'registry', 'docker-config', 'images', 'manifests', 'apply', 'wait', 'summary']) expect(dry.stdout).toContain(`\n${step}: `);
    expect(dry.stdout).toContain(`skip ${repo}/qed-nginx -> 127.0.0.1:${registry.port}/${repo}/qed-nginx:c-`);
    expect(dry.stdout).toMatch(/apply: server-side apply into namespace .*: \d+ unchanged/);
    expect(resourceVersions(ns)).toEqual(versions);
    expect((await catalog(registry.port)).sort()).toEqual(pushed.sort());
    expect(await readFile(stateFile, 'utf8')).toBe(stateBefore);

    // A failure injected in one step: the registry stops after the registry step has run.
    const upToRegistry = cli(cwd, [...args, '--to', 'registry']);
    expect(upToRegistry.code, upToRegistry.stderr).toBe(0);
    expect(sh('docker', ['stop', registry.name]).status).toBe(0);
    const failed = cli(cwd, args);
    expect(failed.code).toBe(1);
    const failedEvents = events(failed.stdout);
    expect(stepEvent(failedEvents, 'images', 'failed')?.detail).toContain(`the local registry at 127.0.0.1:${registry.port} does not answer`);
    expect(failedEvents.at(-1)).toMatchObject({ type: 'pipeline', status: 'failed', failedStep: 'images' });
    expect(stepEvent(failedEvents, 'manifests', 'started')).toBeUndefined();
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ failed: { step: 'images', code: 'REGISTRY_UNREACHABLE' } });

    // Fixed by hand; the same command resumes at the images step.
    expect(sh('docker', ['start', registry.name]).status).toBe(0);
    const resumed = cli(cwd, args);
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    const resumedEvents = events(resumed.stdout);
    for (const step of ['doctor', 'cluster', 'registry', 'docker-config']) expect(stepEvent(resumedEvents, step, 'skipped')?.detail).toBe('done in a previous run');
    expect(stepEvent(resumedEvents, 'doctor', 'started')).toBeUndefined();
    expect(stepEvent(resumedEvents, 'images', 'started')).toBeDefined();
    expect(resumedEvents.at(-1)).toMatchObject({ type: 'pipeline', status: 'succeeded' });

    // Human output (not --json) names the failed step and how to resume.
    expect(sh('docker', ['stop', registry.name]).status).toBe(0);
    const humanFailed = cli(cwd, ['--namespace', ns, '--only', 'nginx,django,redis', '--from', 'images']);
    expect(humanFailed.code).toBe(1);
    expect(humanFailed.stdout).toContain('The images step failed. After the fix, resume with: npx qed-bootstrap');
    expect(humanFailed.stderr).toContain('does not answer');
    sh('docker', ['start', registry.name]);
  });

  it('(c) the interactive path, driven through a real terminal (tmux): answers are used and saved back with the comments kept', async () => {
    const registry = await newRegistry('c');
    const answeredPort = await freePortInInsecureRange(registry.port + 1);
    registries.push(registry.name);
    const ns = newNamespace('c');
    const cwd = await project('c', `# the team's registry\nregistry:\n  host: 127.0.0.1:${registry.port} # keep on loopback\n  name: ${registry.name}\ndataRoot: ./data\n`);
    const socket = `qed-e2e-${tag}`;
    const session = 'bootstrap';
    const exitFile = path.join(cwd, 'exit-code');
    // CI unset and a terminal on both ends: the prompts are shown.
    const script = [
      `export KUBECONFIG='${env.KUBECONFIG}' DOCKER_HOST='${env.DOCKER_HOST}' HOME='${cwd}' PATH='${process.env.PATH}' NO_COLOR=1`,
      'unset CI',
      `cd '${cwd}'`,
      `'${process.execPath}' '${BIN}' --target context:${connection.QED_TESTENV_CONTEXT} --namespace ${ns} --only nginx`,
      `echo $? > '${exitFile}'`,
      'sleep 600',
    ].join('\n');
    await writeFile(path.join(cwd, 'run.sh'), script);
    const tmux = (...args: string[]) => spawnSync(TMUX, ['-L', socket, ...args], { encoding: 'utf8' });
    expect(tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50', `sh '${path.join(cwd, 'run.sh')}'`).status).toBe(0);
    try {
      const screen = () => tmux('capture-pane', '-p', '-t', session, '-S', '-200').stdout;
      const waitFor = async (text: string) => {
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
          if (screen().includes(text)) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`"${text}" never appeared; the screen:\n${screen()}`);
      };
      const keys = (...k: string[]) => expect(tmux('send-keys', '-t', session, ...k).status).toBe(0);
      await waitFor('Where should QED run?');
      keys('Enter');
      await waitFor('Manifest profile');
      keys('Enter');
      await waitFor('Services to deploy');
      keys('Enter');
      await waitFor('Local registry port');
      keys('-l', String(answeredPort));
      keys('Enter');
      await waitFor('Save these answers to');
      keys('y');
      keys('Enter');
      const deadline = Date.now() + 150_000;
      while (!existsSync(exitFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      const finalScreen = screen();
      expect((await readFile(exitFile, 'utf8').catch(() => 'none')).trim(), finalScreen).toBe('0');
      expect(finalScreen).toContain('Done: every step from doctor to summary succeeded.');
    } finally {
      tmux('kill-server');
    }
    // The answer took effect: the registry runs on the answered port.
    expect((await fetch(`http://127.0.0.1:${answeredPort}/v2/`)).status).toBe(200);
    const saved = await readFile(path.join(cwd, 'qed.config.yaml'), 'utf8');
    expect(saved).toContain("# the team's registry");
    expect(saved).toContain(`host: 127.0.0.1:${answeredPort}`);
    expect((await readdir(cwd)).filter((f) => /^qed\.config\.yaml\.\d{8}-\d{6}\.bak$/.test(f))).toHaveLength(1);
    expectAllReady(cwd, ns);
  });

  it('(d) Ctrl-C during a long step stops it cleanly: exit 130, the step recorded as interrupted, how to resume printed', async () => {
    const registry = await newRegistry('d');
    const ns = newNamespace('d');
    const cwd = await project('d', `registry:\n  host: 127.0.0.1:${registry.port}\n  name: ${registry.name}\ndataRoot: ./data\n`);
    // The aws profile asks for the gp3 storage class, which this cluster does not have:
    // the claim stays Pending, so the wait step would wait for minutes.
    const child = spawn(process.execPath, [BIN, '--yes', '--target', `context:${connection.QED_TESTENV_CONTEXT}`, '--namespace', ns, '--only', 'redis', '--profile', 'aws', '--json'], {
      cwd,
      // Cloud profiles generate no secrets: they come from the environment, as in CI.
      env: { ...process.env, ...env, HOME: cwd, CI: 'true', NO_COLOR: '1', QED_SECRET_DJANGO_SECRET_KEY: 'e2e-d', QED_SECRET_GOOGLE_API_KEY: 'e2e-d', QED_SECRET_POSTGRES_PASSWORD: 'e2e-d' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && stdout.includes('"step":"wait","status":"started"')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(interrupted, stdout + stderr).toBe(true);
    expect(code, stdout + stderr).toBe(130);
    // Stopped by the Ctrl-C, not at the end of the wait's 300 s timeout: the SIGKILL
    // sent 150 s after the start would have left no exit code (counted, not timed).
    const all = events(stdout);
    expect(stepEvent(all, 'apply', 'succeeded')).toBeDefined();
    expect(stepEvent(all, 'wait', 'failed')?.detail).toBe('interrupted (Ctrl-C)');
    expect(all.at(-1)).toMatchObject({ type: 'pipeline', status: 'interrupted', failedStep: 'wait', resume: expect.stringContaining('resumes at wait') });
    const state = JSON.parse(await readFile(path.join(cwd, '.qed', 'bootstrap-state.json'), 'utf8')) as { interrupted: string; finished: string[] };
    expect(state.interrupted).toBe('wait');
    expect(state.finished).toEqual(expect.arrayContaining(['doctor', 'cluster', 'registry', 'images', 'manifests', 'apply']));
    expect(state.finished).not.toContain('wait');
  });
});

/** The engine here treats ports 5000-5099 of 127.0.0.1 as plain-HTTP registries. */
async function freePortInInsecureRange(from = 5000 + (process.pid % 50)): Promise<number> {
  const net = await import('node:net');
  for (let port = from; port < 5100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 5000-5099');
}
