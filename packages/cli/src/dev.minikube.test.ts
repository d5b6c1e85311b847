import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describeOnMinikubeLane } from 'testenv/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));

interface DevEvent {
  type: 'watching' | 'change' | 'cycle' | 'forward' | 'log';
  pod?: string;
  line?: string;
  image?: string;
  service?: string;
  url?: string;
  action?: 'sync' | 'rebuild';
  status?: 'ready' | 'failed' | 'nothing-runs-it';
  ms?: number;
  detail?: string;
  ref?: string;
  hint?: string;
}

/** nginx from the lane's Debian services image, serving the build context's site/ folder on port 80. */
const NGINX_CONF = `user www-data;
worker_processes 1;
error_log stderr notice;
pid /run/nginx.pid;
events { worker_connections 64; }
http {
  access_log /dev/stdout;
  server { listen 80; root /srv/site; }
}
`;

/**
 * `qed-bootstrap dev` on the real minikube lane: a web image built from a folder
 * (nginx serving site/), deployed, then edited while dev watches. Every edit goes
 * through the real engine, registry, kubelet and containers; what is served is
 * read from the Service through kube-proxy.
 */
describeOnMinikubeLane('qed-bootstrap dev on a real minikube: an edit rebuilds, rolls out and is served; a broken build keeps the old pods serving', (lane, testenv) => {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const ns = `qed-dev-${tag}`.slice(0, 63);
  const env = { ...process.env, ...lane, DOCKER_HOST: testenv.DOCKER_HOST, CI: 'true', NO_COLOR: '1' };
  const imageName = `qed-dev-${tag}/web`;
  let cwd = '';
  let dev: ChildProcessWithoutNullStreams | undefined;
  const events: DevEvent[] = [];
  /** --json prints one object per line: anything else is a defect. */
  const unparsed: string[] = [];
  const waiters: Array<() => void> = [];
  const sh = (command: string, args: string[], timeout = 300_000) => spawnSync(command, args, { env, encoding: 'utf8', timeout });
  const kubectl = (...args: string[]) => sh('kubectl', ['-n', ns, ...args]);
  const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...env, HOME: cwd }, encoding: 'utf8', timeout: 600_000 });

  /** The next event (after those already seen) that matches. */
  const nextEvent = async (seen: number, match: (e: DevEvent) => boolean): Promise<DevEvent> => {
    for (;;) {
      if (unparsed.length > 0) throw new Error(`dev --json printed lines that are not JSON objects: ${unparsed.slice(0, 3).join(' | ')}`);
      const found = events.slice(seen).find(match);
      if (found) return found;
      if (dev?.exitCode !== null && dev?.exitCode !== undefined) throw new Error(`dev exited (${dev.exitCode}) before the event came; events: ${JSON.stringify(events)}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  /**
   * The page the Service serves, read through kube-proxy. kube-proxy programs a new
   * pod's endpoint a moment after it is Ready, so the read is tried until it gives
   * `expected` (up to 60 times, half a second apart); what came last is returned.
   */
  const served = async (expected: string, page = '/') => {
    const ip = kubectl('get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}').stdout.trim();
    let reply = '';
    for (let attempt = 0; attempt < 60 && reply !== expected; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      reply = sh('curl', ['-sS', '--max-time', '2', `http://${ip}${page}`]).stdout;
    }
    return reply;
  };
  /** The web pods that run and stay: a pod a rollout replaced may still be terminating (its grace period, the sandbox's teardown) after the rollout is done. */
  const podNames = () =>
    (JSON.parse(kubectl('get', 'pods', '-l', 'app=web', '-o', 'json').stdout) as { items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }).items
      .filter((pod) => !pod.metadata.deletionTimestamp)
      .map((pod) => pod.metadata.name)
      .sort();
  /**
   * A page read from a local URL (a port-forward), tried until it gives `expected`
   * (up to 60 times, half a second apart: a new pod is ready a moment after its
   * rollout is); what came last is returned.
   */
  const fetched = async (url: string, expected: string) => {
    let reply = '';
    for (let attempt = 0; attempt < 60 && reply !== expected; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      reply = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
        (res) => res.text(),
        (error: Error) => `failed: ${error.message}`,
      );
    }
    return reply;
  };
  /** A CLI command left running (logs -f, forward); its stdout lines as they come. */
  const running: ChildProcessWithoutNullStreams[] = [];
  const start = (args: string[]) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...env, HOME: cwd } });
    running.push(child);
    const lines: string[] = [];
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    /** The first line (from `from` on) that matches, waiting for it as long as the process runs (bounded by the test's timeout). */
    const line = async (match: (line: string) => boolean, from = 0): Promise<string> => {
      for (;;) {
        const found = lines.slice(from).find(match);
        if (found !== undefined) return found;
        if (child.exitCode !== null) throw new Error(`qed-bootstrap ${args.join(' ')} exited (${child.exitCode}): ${lines.join('\n')}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    return { child, lines, line, exited, stderr: () => stderr };
  };

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-dev-mk-'));
    const loaded = sh('docker', ['load', '-i', lane.QED_TEST_SERVICES_ARCHIVE]);
    expect(loaded.status, loaded.stderr).toBe(0);
    const context = path.join(cwd, 'web');
    await mkdir(path.join(context, 'site'), { recursive: true });
    await writeFile(path.join(context, 'nginx.conf'), NGINX_CONF);
    await writeFile(path.join(context, 'site', 'index.html'), 'version one\n');
    await mkdir(path.join(context, 'site', 'synced'));
    await writeFile(path.join(context, 'site', 'synced', 'page.html'), 'synced one\n');
    await writeFile(path.join(context, 'Dockerfile'), `FROM ${lane.QED_TEST_SERVICES_IMAGE}\nCOPY nginx.conf /etc/nginx/nginx.conf\nCOPY site/ /srv/site/\nENTRYPOINT ["/usr/local/bin/qed-nginx"]\n`);
    await writeFile(
      path.join(cwd, 'qed.config.yaml'),
      [
        'registry:',
        `  host: ${lane.QED_TEST_MINIKUBE_REGISTRY}`,
        'images:',
        // Files under site/synced/ are copied into the running container; any other edit rebuilds.
        `  - { name: ${imageName}, source: "example.com/web:latest", context: ./web, sync: [{ src: "site/synced/**", dest: /srv/site/synced }] }`,
        `namespace: ${ns}`,
        '',
      ].join('\n'),
    );
    // What the bootstrap leaves: the image pushed, a Deployment and a Service running it.
    const pushed = cli(['images', 'push']);
    expect(pushed.status, `${pushed.stdout}\n${pushed.stderr}`).toBe(0);
    const refs = JSON.parse(await readFile(path.join(cwd, '.qed', 'images.json'), 'utf8')) as Record<string, string>;
    const ref = refs['example.com/web:latest'] ?? '';
    expect(ref).toMatch(new RegExp(`^${lane.QED_TEST_MINIKUBE_REGISTRY.replaceAll('.', '\\.')}/`));
    expect(sh('kubectl', ['create', 'namespace', ns]).status).toBe(0);
    const manifest = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: web }',
      'spec:',
      '  replicas: 1',
      '  selector: { matchLabels: { app: web } }',
      '  template:',
      '    metadata: { labels: { app: web } }',
      `    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: web, image: "${ref}", ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 1 } }] }`,
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: web }',
      'spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }',
      '',
    ].join('\n');
    await writeFile(path.join(cwd, 'web.yaml'), manifest);
    const applied = kubectl('apply', '-f', path.join(cwd, 'web.yaml'));
    expect(applied.status, applied.stderr).toBe(0);
    const rolled = kubectl('rollout', 'status', 'deployment/web', '--timeout=180s');
    expect(rolled.status, `${rolled.stdout}\n${rolled.stderr}\n${kubectl('describe', 'pods').stdout}`).toBe(0);
    expect(await served('version one\n')).toBe('version one\n');

    dev = spawn(process.execPath, [BIN, 'dev', '--json', '--namespace', ns], { cwd, env: { ...env, HOME: cwd } });
    createInterface({ input: dev.stdout }).on('line', (line) => {
      if (!line.trim()) return;
      try {
        events.push(JSON.parse(line) as DevEvent);
      } catch {
        unparsed.push(line);
      }
      for (const wake of waiters.splice(0)) wake();
    });
    let stderr = '';
    dev.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    dev.on('exit', () => {
      for (const wake of waiters.splice(0)) wake();
    });
    await nextEvent(0, (e) => e.type === 'watching').catch((error: Error) => {
      throw new Error(`${error.message}\nstderr: ${stderr}`);
    });
  });

  afterAll(async () => {
    if (dev && dev.exitCode === null) dev.kill('SIGKILL');
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    if (!cwd) return;
    sh('kubectl', ['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
    await rm(cwd, { recursive: true, force: true });
  });

  it("dev port-forwards the namespace's Services and prints their URLs: the page is served on 127.0.0.1", async () => {
    const forward = events.find((e) => e.type === 'forward' && e.service === 'web');
    expect(forward?.url, JSON.stringify(events)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await fetched(`${forward?.url}/`, 'version one\n')).toBe('version one\n');
  });

  it('an edit to the site: that image alone rebuilt and pushed, its pod replaced and Ready, the new page served; .qed/images.json follows', async () => {
    const before = podNames();
    const seen = events.length;
    await writeFile(path.join(cwd, 'web', 'site', 'index.html'), 'version two\n');
    const cycle = await nextEvent(seen, (e) => e.type === 'cycle');
    expect(cycle, JSON.stringify(cycle)).toMatchObject({ image: imageName, action: 'rebuild', status: 'ready' });
    expect(await served('version two\n')).toBe('version two\n');
    expect(podNames().some((pod) => before.includes(pod))).toBe(false);
    const refs = JSON.parse(await readFile(path.join(cwd, '.qed', 'images.json'), 'utf8')) as Record<string, string>;
    expect(refs['example.com/web:latest']).toBe(cycle.ref);
    expect(kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}').stdout).toBe(cycle.ref);
    // dev shows the output of the new pod too: nginx's access log line for the page just read.
    const [pod] = podNames();
    const logged = await nextEvent(seen, (e) => e.type === 'log' && e.pod === pod && (e.line ?? '').includes('GET / '));
    expect(logged).toMatchObject({ type: 'log', service: 'web', pod });
  });

  it('a sync-only edit: the file copied into the running container, no new pod, the new page served; the events say sync', async () => {
    const before = podNames();
    const page = path.join(cwd, 'web', 'site', 'synced', 'page.html');
    const times: number[] = [];
    for (const version of ['synced two', 'synced three', 'synced four']) {
      const seen = events.length;
      await writeFile(page, `${version}\n`);
      const cycle = await nextEvent(seen, (e) => e.type === 'cycle');
      expect(events.slice(seen).find((e) => e.type === 'change'), JSON.stringify(events.slice(seen))).toMatchObject({ image: imageName, action: 'sync' });
      expect(cycle, JSON.stringify(cycle)).toMatchObject({ image: imageName, action: 'sync', status: 'ready' });
      expect(cycle.detail).toBe('copied 1 file into 1 container, no rebuild');
      times.push(cycle.ms ?? -1);
      expect(await served(`${version}\n`, '/synced/page.html')).toBe(`${version}\n`);
    }
    expect(podNames()).toEqual(before);
    // The measurement the issue asks for (no assertion on time): from the save to the copy done.
    console.info(`sync, save to copied (ms): ${times.join(', ')}`);
  });

  it('logs -f shows the lines nginx prints, from the old pod and the new one across a rollout; forward serves the page on 127.0.0.1 and survives the pod replacement', async () => {
    const forward = start(['forward', '--namespace', ns, 'web']);
    const logs = start(['logs', '-f', '--json', '--namespace', ns, 'web']);
    const urlLine = await forward.line((l) => /^web\s+http:\/\/127\.0\.0\.1:\d+\s+-> web:80$/.test(l));
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(urlLine)?.[0] ?? '';
    expect(await fetched(`${url}/`, 'version two\n')).toBe('version two\n');

    /** Requests `marker` through the forward until logs -f shows nginx's access-log line for it (bounded); that line. */
    const logged = async (marker: string) => {
      const match = (l: string) => l.includes(`GET /?${marker} HTTP/1.1`);
      for (let attempt = 0; attempt < 30; attempt++) {
        await fetched(`${url}/?${marker}`, 'version two\n');
        for (let look = 0; look < 10; look++) {
          const found = logs.lines.find(match);
          if (found) return JSON.parse(found) as { service: string; pod: string; container: string; line: string };
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      throw new Error(`no log line for ${marker}: ${logs.lines.slice(-10).join('\n')}${logs.stderr()}`);
    };
    const [oldPod] = podNames();
    expect(await logged(`before-${tag}`)).toMatchObject({ service: 'web', pod: oldPod, container: 'web' });

    const restarted = kubectl('rollout', 'restart', 'deployment/web');
    expect(restarted.status, restarted.stderr).toBe(0);
    const rolled = kubectl('rollout', 'status', 'deployment/web', '--timeout=180s');
    expect(rolled.status, rolled.stderr).toBe(0);
    const [newPod] = podNames().filter((pod) => pod !== oldPod);
    expect(newPod).toBeDefined();

    // The same local port, now carried to the new pod; the same logs -f, now reading it too.
    expect(await fetched(`${url}/`, 'version two\n')).toBe('version two\n');
    expect(await logged(`after-${tag}`)).toMatchObject({ service: 'web', pod: newPod, container: 'web' });
    expect(await forward.line((l) => l.includes(`forwarding to pod ${newPod}`))).toContain(`pod ${oldPod} is gone`);

    // Without -f: the last lines, each behind its service's prefix (NO_COLOR: no colour).
    const tail = cli(['logs', '--namespace', ns, '--tail', '3', 'web']);
    expect(tail.status, tail.stderr).toBe(0);
    const printed = tail.stdout.trim().split('\n');
    expect(printed.length).toBeGreaterThan(0);
    for (const line of printed) expect(line).toMatch(/^web \| /);

    // Ctrl-C ends both, with exit code 0.
    for (const command of [forward, logs]) command.child.kill('SIGINT');
    expect(await forward.exited).toBe(0);
    expect(await logs.exited).toBe(0);
  });

  it('logs -f without names takes up a workload deployed after it started: its lines come behind its own prefix', async () => {
    const logs = start(['logs', '-f', '--namespace', ns]);
    // Following has begun once the running web pod's next access-log line shows.
    const ip = kubectl('get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}').stdout.trim();
    const marker = `ready-${tag}`;
    // Up to 120 requests, half a second apart: that only bounds a failure.
    for (let attempt = 0; attempt < 120 && !logs.lines.some((l) => l.includes(marker)); attempt++) {
      sh('curl', ['-sS', '--max-time', '2', `http://${ip}/?${marker}`]);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(logs.lines.some((l) => /^web \| .*GET \/\?ready-/.test(l)), `${logs.lines.join('\n')}\n${logs.stderr()}`).toBe(true);

    const image = kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}').stdout.trim();
    const created = kubectl('create', 'deployment', 'ticker', `--image=${image}`, '--', 'sh', '-c', `while true; do echo tick-${tag}; sleep 1; done`);
    expect(created.status, created.stderr).toBe(0);
    const line = await logs.line((l) => l.includes(`tick-${tag}`));
    expect(line).toMatch(new RegExp(`^ticker \\| tick-${tag}$`));
    logs.child.kill('SIGINT');
    expect(await logs.exited).toBe(0);
    expect(kubectl('delete', 'deployment', 'ticker', '--wait=false').status).toBe(0);
  });

  it('a broken Dockerfile: the failure and how to reproduce it are shown, the old pod keeps serving, and the loop keeps watching', async () => {
    const dockerfile = path.join(cwd, 'web', 'Dockerfile');
    const good = await readFile(dockerfile, 'utf8');
    const before = podNames();
    let seen = events.length;
    await writeFile(dockerfile, `${good}COPY no-such-file /nowhere\n`);
    const failed = await nextEvent(seen, (e) => e.type === 'cycle');
    expect(failed, JSON.stringify(failed)).toMatchObject({ image: imageName, action: 'rebuild', status: 'failed' });
    expect(failed.hint).toContain('Reproduce with');
    expect(await served('version two\n')).toBe('version two\n');
    expect(podNames()).toEqual(before);

    seen = events.length;
    await writeFile(path.join(cwd, 'web', 'site', 'index.html'), 'version three\n');
    await writeFile(dockerfile, good);
    const fixed = await nextEvent(seen, (e) => e.type === 'cycle' && e.status !== 'failed');
    expect(fixed, JSON.stringify(fixed)).toMatchObject({ image: imageName, action: 'rebuild', status: 'ready' });
    expect(await served('version three\n')).toBe('version three\n');
  });

  it('Ctrl-C stops watching, exits 0 and leaves the cluster as it is', async () => {
    const process_ = dev as ChildProcessWithoutNullStreams;
    const exited = new Promise<number | null>((resolve) => process_.on('exit', (code) => resolve(code)));
    process_.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await served('version three\n')).toBe('version three\n');
  });
});
