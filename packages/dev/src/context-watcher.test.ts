import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ContextChange, isEditorLitter, watchContext } from './context-watcher.js';

const watchers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const w of watchers.splice(0)) w.close();
});

/** Batches as they come, and a way to wait until some file has been seen. */
function collect() {
  const seen: ContextChange[] = [];
  const waiters: Array<() => void> = [];
  return {
    seen,
    onBatch: (changes: ContextChange[]) => {
      seen.push(...changes);
      for (const wake of waiters.splice(0)) wake();
    },
    async until(predicate: () => boolean) {
      while (!predicate()) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

describe('isEditorLitter', () => {
  it.each([
    ['.views.py.swp', true],
    ['app/.views.py.swx', true],
    ['views.py~', true],
    ['4913', true],
    ['app/.#views.py', true],
    ['#views.py#', true],
    ['.DS_Store', true],
    ['views.py___jb_tmp___', true],
    ['.git/index', true],
    ['app/views.py', false],
    ['templates/base.html', false],
    ['.dockerignore', false],
  ])('%s -> %s', (file, litter) => {
    expect(isEditorLitter(file)).toBe(litter);
  });
});

describe('watchContext (the real file system)', () => {
  it('hands over saved files relative to the context, deleted ones marked, never editor litter or what .dockerignore leaves out', async () => {
    const context = await mkdtemp(path.join(os.tmpdir(), 'qed-watch-'));
    await mkdir(path.join(context, 'app'));
    await writeFile(path.join(context, 'app', 'old.py'), 'x = 0\n');
    const batches = collect();
    watchers.push(
      watchContext(context, { include: (file) => !file.startsWith('node_modules/'), onBatch: batches.onBatch, onError: (e) => { throw e; } }),
    );
    await mkdir(path.join(context, 'node_modules'));
    await writeFile(path.join(context, 'node_modules', 'dep.js'), '');
    await writeFile(path.join(context, 'app', '.views.py.swp'), 'litter');
    await writeFile(path.join(context, 'app', 'views.py'), 'x = 1\n');
    await rm(path.join(context, 'app', 'old.py'));
    await batches.until(() => batches.seen.some((c) => c.file === 'app/views.py') && batches.seen.some((c) => c.file === 'app/old.py'));
    expect(batches.seen.find((c) => c.file === 'app/views.py')).toEqual({ file: 'app/views.py', deleted: false });
    expect(batches.seen.find((c) => c.file === 'app/old.py')).toEqual({ file: 'app/old.py', deleted: true });
    expect(batches.seen.map((c) => c.file).filter((f) => f.includes('swp') || f.startsWith('node_modules') || f === 'app')).toEqual([]);
  });
});
