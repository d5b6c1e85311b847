import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultQedConfig, isQedError, QED_GITIGNORE, type QedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { hashInputs, readBootstrapState, stableStringify, writeBootstrapState } from './bootstrap-state.js';

const base = { config: defaultQedConfig('/home/u'), target: { kind: 'minikube' as const }, namespace: 'qed', profile: 'local' as const };

describe('hashInputs', () => {
  it('is stable across key order and the order of --only', () => {
    const reordered = { ...base, config: JSON.parse(stableStringify(base.config)) };
    expect(hashInputs(reordered)).toBe(hashInputs(base));
    expect(hashInputs({ ...base, only: ['redis', 'nginx'] })).toBe(hashInputs({ ...base, only: ['nginx', 'redis'] }));
    expect(hashInputs(base)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['namespace', { namespace: 'other' }],
    ['target', { target: { kind: 'context' as const, context: 'kind-kind' } }],
    ['only', { only: ['nginx'] }],
    ['profile', { profile: 'aws' as const }],
    ['config', { config: { ...base.config, registry: { host: '127.0.0.1:5001', name: 'registry' } } }],
  ])('changes with the %s', (_name, change) => {
    expect(hashInputs({ ...base, ...change })).not.toBe(hashInputs(base));
  });
});

describe('bootstrap state file', () => {
  it('round-trips, keeps steps in pipeline order and leaves no temporary file; the .qed it makes ignores itself in git', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-state-'));
    const file = path.join(dir, '.qed', 'bootstrap-state.json');
    const state = { version: 1 as const, inputsHash: 'h', finished: ['cluster' as const, 'doctor' as const], failed: { step: 'registry' as const, code: 'X', message: 'm' }, interrupted: null, completed: false, updatedAt: 't' };
    await writeBootstrapState(file, state);
    expect(await readBootstrapState(file)).toEqual({ ...state, finished: ['doctor', 'cluster'] });
    expect((await readdir(path.dirname(file))).sort()).toEqual(['.gitignore', 'bootstrap-state.json']);
    expect(await readFile(path.join(dir, '.qed', '.gitignore'), 'utf8')).toBe(QED_GITIGNORE);
  });

  it('a state file in a place that cannot be read or written is FILE_ACCESS_FAILED naming it, not a bug', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-state-'));
    const folderInPlace = path.join(dir, 'bootstrap-state.json');
    await mkdir(folderInPlace);
    await expect(readBootstrapState(folderInPlace)).rejects.toMatchObject({ code: 'FILE_ACCESS_FAILED', message: `cannot read ${folderInPlace}: it is a folder, where a file belongs` });
    await expect(writeBootstrapState(folderInPlace, { version: 1, inputsHash: 'h', finished: [], failed: null, interrupted: null, completed: false, updatedAt: '' })).rejects.toMatchObject({
      code: 'FILE_ACCESS_FAILED',
      message: expect.stringMatching(new RegExp(`^cannot write ${folderInPlace}: `)),
    });
    await writeFile(path.join(dir, '.qed'), 'a file');
    await expect(writeBootstrapState(path.join(dir, '.qed', 'bootstrap-state.json'), { version: 1, inputsHash: 'h', finished: [], failed: null, interrupted: null, completed: false, updatedAt: '' })).rejects.toMatchObject({
      code: 'FILE_ACCESS_FAILED',
      message: `cannot create the folder ${path.join(dir, '.qed')}: a file stands where a folder belongs`,
    });
  });

  it('reads a missing file as no state: a first run', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-state-'));
    expect(await readBootstrapState(path.join(dir, 'absent.json'))).toBeNull();
  });

  it('refuses a file that is not JSON: names the file, the line and column, and how to reset it and what that costs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-state-'));
    const file = path.join(dir, '.qed', 'bootstrap-state.json');
    await mkdir(path.dirname(file));
    await writeFile(file, '{\n  "version": 1,\n  "inputsHash": "h"\n  "finished": []\n}\n');
    const error = await readBootstrapState(file).catch((e: unknown) => e);
    expect(isQedError(error, 'BOOTSTRAP_STATE_INVALID'), String(error)).toBe(true);
    const { message, hint } = error as QedError;
    expect(message).toMatch(new RegExp(`^${escapeRegExp(file)} is not JSON: .+ at line 4, column 3$`));
    expect(hint).toContain(`rm ${file}`);
    expect(hint).toContain('starts from the beginning');
    // Left as it was, for whoever wants to look at it.
    expect(await readFile(file, 'utf8')).toContain('"inputsHash": "h"\n');
  });

  it('refuses a file cut short (a crash mid-write on a file system without atomic rename)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-state-'));
    await writeFile(path.join(dir, 'cut.json'), '{"version":1,"inputsHash":"h","fini');
    await expect(readBootstrapState(path.join(dir, 'cut.json'))).rejects.toThrow(/cut\.json is not JSON: .+ at line 1, column 36$/);
  });

  it.each([
    ['an array', '[]', 'is not a bootstrap state: an array where an object was expected'],
    ['null', 'null', 'is not a bootstrap state: null where an object was expected'],
    ['another version', JSON.stringify({ version: 2, inputsHash: 'h', finished: [] }), 'has version 2; this qed-bootstrap reads version 1'],
    ['no inputsHash', JSON.stringify({ version: 1, finished: [] }), 'is not a bootstrap state: inputsHash is missing (a string was expected)'],
    ['finished not a list', JSON.stringify({ ...valid(), finished: 'doctor' }), 'is not a bootstrap state: finished is a string (a list of steps was expected)'],
    ['an unknown step', JSON.stringify({ ...valid(), finished: ['doctor', 'nonsense'] }), 'is not a bootstrap state: finished[1] is "nonsense", not a step'],
    ['a failed entry without a step', JSON.stringify({ ...valid(), failed: { code: 'X' } }), 'is not a bootstrap state: failed.step is missing (a step was expected)'],
    ['interrupted not a step', JSON.stringify({ ...valid(), interrupted: 7 }), 'is not a bootstrap state: interrupted is a number (a step or null was expected)'],
  ])('refuses a file of the wrong shape (%s), saying what is wrong', async (_name, content, problem) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-state-'));
    const file = path.join(dir, 'bootstrap-state.json');
    await writeFile(file, content);
    const error = await readBootstrapState(file).catch((e: unknown) => e);
    expect(isQedError(error, 'BOOTSTRAP_STATE_INVALID'), String(error)).toBe(true);
    expect((error as QedError).message).toBe(`${file} ${problem}`);
    expect((error as QedError).hint).toContain(`rm ${file}`);
  });
});

function valid() {
  return { version: 1, inputsHash: 'h', finished: ['doctor'], failed: null, interrupted: null, completed: false, updatedAt: 't' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
