import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_IMAGES, isQedError, QED_GITIGNORE, type QedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../load-manifests.js';
import { formatRenderedFile } from './format-rendered-file.js';
import { planRender } from './plan-render.js';
import type { RenderOptions } from './render-types.js';
import { nodeWriteRenderFs, writeRender } from './write-render.js';

const MANIFESTS_DIR = fileURLToPath(new URL('../../../../manifests', import.meta.url));
const SECRETS = {
  DJANGO_SECRET_KEY: 'known-django-Ab12',
  POSTGRES_PASSWORD: 'known-postgres-Cd34',
  GOOGLE_API_KEY: 'known-google-Ef56',
};

const plan = (overrides: Partial<RenderOptions> = {}) =>
  planRender({
    manifestsDir: MANIFESTS_DIR,
    profile: 'local',
    namespace: 'qed',
    dataRoot: '/home/me/.qed/data',
    hostOs: 'linux',
    images: DEFAULT_IMAGES,
    secrets: SECRETS,
    ...overrides,
  });

const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'qed-render-'));

async function caught(promise: Promise<unknown>): Promise<QedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isQedError(error)) throw new Error(`expected a QedError, got ${String(error)}`);
  return error;
}

describe('writeRender', () => {
  it('writes every file of the plan, which reads back as the same objects; only the secret file is private', async () => {
    const rendered = await plan();
    const out = path.join(await tempDir(), 'out');
    const paths = await writeRender(rendered, out);
    expect(paths).toEqual(rendered.files.map((f) => path.join(out, f.name)));
    expect((await readdir(out)).sort()).toEqual(rendered.files.map((f) => f.name).sort());
    for (const file of rendered.files) {
      const text = await readFile(path.join(out, file.name), 'utf8');
      expect(text).toBe(formatRenderedFile(file));
      const parsed = parseManifestText(text, file.name);
      expect(parsed.problems).toEqual([]);
      expect(parsed.objects.map((o) => o.object)).toEqual(file.objects);
      const mode = (await stat(path.join(out, file.name))).mode & 0o777;
      if (file.name === 'qed-secrets.secret.yaml') expect(mode).toBe(0o600);
      else expect(mode & 0o077).not.toBe(0);
    }
  });

  it('into .qed/manifests (the default): .qed gets a .gitignore, so the rendered Secret is never committed', async () => {
    const project = await tempDir();
    await writeRender(await plan({ only: ['postgres'] }), path.join(project, '.qed', 'manifests'));
    expect(await readFile(path.join(project, '.qed', '.gitignore'), 'utf8')).toBe(QED_GITIGNORE);
  });

  it('makes an existing, too open secret file private when it replaces it', async () => {
    const out = await tempDir();
    await writeFile(path.join(out, 'qed-secrets.secret.yaml'), 'old', { mode: 0o644 });
    await writeRender(await plan({ only: ['postgres'] }), out);
    expect((await stat(path.join(out, 'qed-secrets.secret.yaml'))).mode & 0o777).toBe(0o600);
  });

  it.each(['writeFile', 'rename'] as const)(
    'leaves the old file whole and no temporary file when %s fails',
    async (failing) => {
      const out = await tempDir();
      const secretFile = path.join(out, 'qed-secrets.secret.yaml');
      await writeFile(secretFile, 'previous content\n', { mode: 0o600 });
      const io = {
        ...nodeWriteRenderFs,
        writeFile: async (file: string, data: string, options: { mode: number; flag: string }) => {
          // Half the content reaches the disk before the failure, as on a full disk.
          if (failing === 'writeFile' && data.includes('kind: Secret')) {
            await nodeWriteRenderFs.writeFile(file, data.slice(0, data.length / 2), options);
            throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
          }
          return nodeWriteRenderFs.writeFile(file, data, options);
        },
        rename: async (from: string, to: string) => {
          if (failing === 'rename' && to === secretFile)
            throw Object.assign(new Error('busy'), { code: 'EBUSY' });
          return nodeWriteRenderFs.rename(from, to);
        },
      };
      const error = await caught(writeRender(await plan(), out, io));
      expect(error.code).toBe('RENDER_WRITE_FAILED');
      expect(error.message).toBe(
        `could not write ${secretFile}: ${failing === 'writeFile' ? 'ENOSPC' : 'EBUSY'}`,
      );
      expect(await readFile(secretFile, 'utf8')).toBe('previous content\n');
      expect((await readdir(out)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      const said = [error.message, error.hint, JSON.stringify(error.toJSON())].join('\n');
      for (const value of Object.values(SECRETS)) expect(said).not.toContain(value);
    },
  );

  it('removes files an earlier render wrote that the plan no longer has, and nothing else', async () => {
    const out = await tempDir();
    await writeRender(await plan(), out);
    await writeFile(
      path.join(out, 'my-notes.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: mine }\n',
    );
    await writeRender(await plan({ profile: 'aws', only: ['redis'] }), out);
    expect((await readdir(out)).sort()).toEqual(['00-namespace.yaml', 'my-notes.yaml', 'redis.yaml']);
  });
});
