import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommandResult, DEFAULT_IMAGES, ProcessRunner } from '@qed/core';
import { describeOnTestenv } from 'testenv/vitest';
import { afterAll, expect, it } from 'vitest';
import { planRender } from './plan-render.js';
import type { ManifestProfile, RenderPlan } from './render-types.js';
import { writeRender } from './write-render.js';

const MANIFESTS_DIR = fileURLToPath(new URL('../../../../manifests', import.meta.url));

describeOnTestenv('the rendered set on a real API server', (connection) => {
  const runner = new ProcessRunner({ env: { ...process.env, KUBECONFIG: connection.KUBECONFIG } });
  const kubectl = (...args: string[]) => runner.run({ command: 'kubectl', args, timeoutMs: 150_000 });
  const suffix = `${process.pid}-${randomBytes(2).toString('hex')}`;
  const cleanups: Array<() => Promise<unknown>> = [];

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** Every output line, for a failure message that shows what the server said. */
  const said = (result: CommandResult) => `exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`;

  async function renderInto(
    profile: ManifestProfile,
    namespace: string,
  ): Promise<{ plan: RenderPlan; dir: string }> {
    const plan = await planRender({
      manifestsDir: MANIFESTS_DIR,
      profile,
      namespace,
      dataRoot: path.join(os.tmpdir(), `qed-render-it-${suffix}`),
      hostOs: 'linux',
      registry: connection.QED_TEST_REGISTRY,
      images: DEFAULT_IMAGES,
      secrets: {
        DJANGO_SECRET_KEY: randomBytes(24).toString('base64url'),
        POSTGRES_PASSWORD: randomBytes(24).toString('base64url'),
        GOOGLE_API_KEY: randomBytes(24).toString('base64url'),
      },
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), `qed-render-${profile}-`));
    await writeRender(plan, dir);
    return { plan, dir };
  }

  /** A namespace of this test's own, created for real and deleted (with the volumes bound in it) afterwards. */
  async function freshNamespace(purpose: string): Promise<string> {
    const namespace = `qed-render-${purpose}-${suffix}`;
    const created = await kubectl('create', 'namespace', namespace);
    expect(created.exitCode, said(created)).toBe(0);
    cleanups.push(() => kubectl('delete', 'namespace', namespace, '--wait=false'));
    return namespace;
  }

  it.each(['local', 'aws', 'azure'] as const)(
    'passes the server-side dry run whole (%s)',
    async (profile) => {
      const namespace = await freshNamespace(`dry-${profile}`);
      const { plan, dir } = await renderInto(profile, namespace);
      const result = await kubectl('apply', '--dry-run=server', '-f', dir);
      expect(result.exitCode, said(result)).toBe(0);
      // One line per object: "deployment.apps/django created (server dry run)".
      expect(result.stdout.trim().split('\n')).toHaveLength(plan.objects.length);
    },
  );

  it('binds every claim of the local profile to its own volume when applied for real', async () => {
    const namespace = await freshNamespace('bind');
    const { plan, dir } = await renderInto('local', namespace);
    const volumes = plan.objects.filter((o) => o.kind === 'PersistentVolume').map((o) => o.metadata.name);
    cleanups.push(() => kubectl('delete', 'pv', ...volumes, '--wait=false', '--ignore-not-found'));

    const applied = await kubectl('apply', '-f', dir);
    expect(applied.exitCode, said(applied)).toBe(0);
    const bound = await kubectl(
      'wait',
      '--for=jsonpath={.status.phase}=Bound',
      'pvc',
      '--all',
      '-n',
      namespace,
      '--timeout=60s',
    );
    expect(bound.exitCode, said(bound)).toBe(0);

    const claims = JSON.parse((await kubectl('get', 'pvc', '-n', namespace, '-o', 'json')).stdout) as {
      items: Array<{ metadata: { name: string }; spec: { volumeName: string }; status: { phase: string } }>;
    };
    expect(claims.items.map((c) => [c.metadata.name, c.spec.volumeName, c.status.phase]).sort()).toEqual(
      ['celery-data', 'django-data', 'flask-data', 'mongodb-data', 'postgres-data', 'redis-data'].map(
        (claim) => [claim, `${namespace}-${claim}`, 'Bound'],
      ),
    );
  });
});
