import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/qed-bootstrap.js', import.meta.url));

describeOnTestenv('one qed-bootstrap run per folder, on the real test environment', (connection) => {
  const namespace = `qed-e2e-lock-${process.pid}`;
  const children: ChildProcessWithoutNullStreams[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    spawnSync('kubectl', [`--kubeconfig=${connection.KUBECONFIG}`, 'delete', 'namespace', namespace, '--wait=false', '--ignore-not-found'], { timeout: 60_000 });
  });
  // The aws profile asks for the gp3 storage class, which this cluster lacks: the claim stays
  // Pending and the wait step waits, which holds a run open for as long as the test needs.
  // The environment's own registry serves the registry step as it finds it.
  const args = ['--yes', '--json', '--target', `context:${connection.QED_TESTENV_CONTEXT}`, '--namespace', namespace, '--only', 'redis', '--profile', 'aws'];
  const env = {
    ...process.env,
    KUBECONFIG: connection.KUBECONFIG,
    DOCKER_HOST: connection.DOCKER_HOST,
    CI: 'true',
    NO_COLOR: '1',
    QED_SECRET_DJANGO_SECRET_KEY: 'e2e-lock',
    QED_SECRET_GOOGLE_API_KEY: 'e2e-lock',
    QED_SECRET_POSTGRES_PASSWORD: 'e2e-lock',
  };

  /** A run in the background; `reached(text)` resolves once its output shows the text. */
  const start = (cwd: string, extra: string[] = []) => {
    const child = spawn(process.execPath, [BIN, ...args, ...extra], { cwd, env: { ...env, HOME: cwd }, stdio: 'pipe' });
    children.push(child);
    let stdout = '';
    let stderr = '';
    const waiting: Array<{ text: string; resolve: () => void }> = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const w of waiting.filter((w) => stdout.includes(w.text))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return {
      child,
      exited,
      output: () => ({ stdout, stderr }),
      reached: (text: string) =>
        new Promise<void>((resolve, reject) => {
          if (stdout.includes(text)) resolve();
          else waiting.push({ text, resolve });
          exited.then(() => reject(new Error(`exited before "${text}":\n${stdout}\n${stderr}`)));
        }),
    };
  };
  const run = (cwd: string, extra: string[] = []) => {
    const result = spawnSync(process.execPath, [BIN, ...args, ...extra], { cwd, env: { ...env, HOME: cwd }, encoding: 'utf8', timeout: 170_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const WAITING = '"step":"wait","status":"started"';

  it('a second run while one runs stops naming its PID and the lock, changing nothing; SIGTERM and Ctrl-C stop a run and release the lock; a SIGKILLed run\'s lock is taken over', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'qed-e2e-lock-'));
    await writeFile(path.join(cwd, 'qed.config.yaml'), `registry:\n  host: ${connection.QED_TEST_REGISTRY}\n  name: qed-testenv-registry\n`);
    const lockFile = path.join(cwd, '.qed', 'bootstrap.lock');
    const stateFile = path.join(cwd, '.qed', 'bootstrap-state.json');

    const first = start(cwd);
    await first.reached(WAITING);
    expect((await readFile(lockFile, 'utf8')).split('\n')[0]).toBe(String(first.child.pid));
    const stateBefore = await readFile(stateFile, 'utf8');
    const second = run(cwd);
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stdout)).toMatchObject({
      ok: false,
      error: { code: 'BOOTSTRAP_LOCKED', message: expect.stringContaining(`PID ${first.child.pid} `), data: { lockFile, pid: first.child.pid } },
    });
    expect(await readFile(stateFile, 'utf8')).toBe(stateBefore);

    first.child.kill('SIGTERM');
    expect(await first.exited, first.output().stderr).toBe(143);
    const events = first.output().stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toContainEqual(expect.objectContaining({ type: 'step', step: 'wait', status: 'failed', detail: 'interrupted (SIGTERM)' }));
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ interrupted: 'wait' });
    await expect(access(lockFile)).rejects.toThrow(/ENOENT/);

    // The same command resumes at the wait step; Ctrl-C stops it the same way.
    const resumed = start(cwd);
    await resumed.reached(WAITING);
    expect(resumed.output().stdout).not.toContain('"step":"apply","status":"started"');
    resumed.child.kill('SIGINT');
    expect(await resumed.exited).toBe(130);
    await expect(access(lockFile)).rejects.toThrow(/ENOENT/);

    // SIGKILL cannot be caught: the lock stays, and the next run takes it over with a notice.
    const killed = start(cwd);
    await killed.reached(WAITING);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect((await readFile(lockFile, 'utf8')).split('\n')[0]).toBe(String(killed.child.pid));
    const next = run(cwd, ['--from', 'summary']);
    expect(next.stderr).toContain(`took over ${lockFile}: it was left by PID ${killed.child.pid} (`);
    expect(next.stderr).toContain('which is no longer running');
    expect(next.stdout).toContain('"type":"pipeline"');
    await expect(access(lockFile)).rejects.toThrow(/ENOENT/);
  });
});
