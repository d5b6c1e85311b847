import { FakeCommandRunner } from '@qed/testing';
import { describe, expect, it, vi } from 'vitest';
import { fakeRegistry } from './__fixtures__/test-helpers.js';
import { imagesTasks } from './images-tasks.js';
import type { ImagePlan } from './plan-images.js';

const R = '127.0.0.1:5000';

describe('imagesTasks', () => {
  it('runs one task per image, skips the ones with nothing to do with their reason, and keeps going after a failure', async () => {
    const plan: ImagePlan = {
      registry: R,
      images: [
        { action: 'build', name: 'ok', source: 'q/ok', ref: `${R}/ok:c-1`, tag: 'c-1', context: '/c/ok', dockerfile: undefined, args: {}, target: undefined, reason: 'changed' },
        { action: 'build', name: 'bad', source: 'q/bad', ref: `${R}/bad:c-2`, tag: 'c-2', context: '/c/bad', dockerfile: undefined, args: {}, target: undefined, reason: 'changed' },
        { action: 'skip', name: 'same', source: 'q/same', ref: `${R}/same:c-3`, tag: 'c-3', digest: 'sha256:s', reason: 'unchanged' },
        { action: 'keep-remote', name: 'remote', source: 'q/remote', reason: 'no build context configured' },
        { action: 'missing-context', name: 'gone', source: 'q/gone', context: '/nope', reason: 'build context /nope does not exist' },
      ],
    };
    const runner = new FakeCommandRunner()
      .on('docker', undefined, { stdout: 'ok\n' })
      .on('docker', ['build', '-t', `${R}/bad:c-2`, '/c/bad'], { stderr: 'COPY failed\n', exitCode: 1 });
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const list = imagesTasks(plan, { runner, http: fakeRegistry({ 'ok:c-1': 'sha256:ok' }) }, { renderer: 'test' });
    let ctx: Awaited<ReturnType<typeof list.run>>;
    try {
      ctx = await list.run();
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(ctx.results.map((r) => [r.name, r.status])).toEqual([
      ['ok', 'built'],
      ['bad', 'failed'],
      ['same', 'skipped'],
      ['remote', 'kept-remote'],
      ['gone', 'missing-context'],
    ]);
    const output = lines.join('');
    expect(output).toContain(`build ok -> ${R}/ok:c-1`);
    expect(output).toContain('COPY failed');
    // The failed task's error carries the reproduce command and the log tail for the CLI to print.
    expect(list.errors.map((e) => e.message)).toEqual([
      expect.stringContaining(`rerun: docker build -t ${R}/bad:c-2 /c/bad\n    COPY failed`),
    ]);
    expect(output).toContain('remote: no build context configured');
    expect(output).toContain('gone: build context /nope does not exist');
  });
});
