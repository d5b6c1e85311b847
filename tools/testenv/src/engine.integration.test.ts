import { fileURLToPath } from 'node:url';
import { ProcessRunner } from '@qed/core';
import { afterAll, expect, it } from 'vitest';
import { findFreePort, waitFor } from './processes.js';
import { describeOnTestenv } from './vitest.js';

describeOnTestenv('the test container engine (podman Docker API) and registry', (connection) => {
  const runner = new ProcessRunner({ env: { ...process.env, DOCKER_HOST: connection.DOCKER_HOST } });
  const docker = (...args: string[]) => runner.run({ command: 'docker', args, timeoutMs: 180_000 });
  const context = fileURLToPath(new URL('./__fixtures__/scratch-image', import.meta.url));
  const repository = `qed-testenv-it/hello-${process.pid}`;
  const productRegistryName = `registry-it-${process.pid}`;

  afterAll(async () => {
    await docker('rm', '-f', productRegistryName);
  });

  it('builds a FROM-scratch context, pushes it, and the registry catalog lists it', async () => {
    const tag = `${connection.QED_TEST_REGISTRY}/${repository}:v1`;
    const build = await docker('build', '-t', tag, context);
    expect(build.exitCode, build.stderr).toBe(0);
    const push = await docker('push', tag);
    expect(push.exitCode, push.stderr).toBe(0);
    const catalog = await (await fetch(`http://${connection.QED_TEST_REGISTRY}/v2/_catalog`)).json();
    expect(catalog.repositories).toContain(repository);
    const tags = await (await fetch(`http://${connection.QED_TEST_REGISTRY}/v2/${repository}/tags/list`)).json();
    expect(tags.tags).toEqual(['v1']);
  });

  it("runs the guide's registry command through DOCKER_HOST", async () => {
    const port = await findFreePort();
    const run = await docker('run', '-d', '-p', `127.0.0.1:${port}:5000`, '--restart=always', '--name', productRegistryName, 'registry:2');
    expect(run.exitCode, run.stderr).toBe(0);
    await waitFor('the product-style registry', async () => (await fetch(`http://127.0.0.1:${port}/v2/`)).status === 200, 30_000);
    const inspect = await docker('inspect', '--format', '{{.HostConfig.RestartPolicy.Name}} {{.State.Running}}', productRegistryName);
    expect(inspect.stdout.trim()).toBe('always true');
  });
});
