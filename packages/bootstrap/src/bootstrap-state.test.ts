import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultQedConfig } from '@qed/core';
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
  it('round-trips, keeps steps in pipeline order and leaves no temporary file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-state-'));
    const file = path.join(dir, '.qed', 'bootstrap-state.json');
    const state = { version: 1 as const, inputsHash: 'h', finished: ['cluster' as const, 'doctor' as const], failed: { step: 'registry' as const, code: 'X', message: 'm' }, interrupted: null, completed: false, updatedAt: 't' };
    await writeBootstrapState(file, state);
    expect(await readBootstrapState(file)).toEqual({ ...state, finished: ['doctor', 'cluster'] });
    expect(await readdir(path.dirname(file))).toEqual(['bootstrap-state.json']);
  });

  it('reads a missing, corrupt or foreign file as no state', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-state-'));
    expect(await readBootstrapState(path.join(dir, 'absent.json'))).toBeNull();
    await writeFile(path.join(dir, 'bad.json'), '{not json');
    expect(await readBootstrapState(path.join(dir, 'bad.json'))).toBeNull();
    await writeFile(path.join(dir, 'v2.json'), JSON.stringify({ version: 2, inputsHash: 'h', finished: [] }));
    expect(await readBootstrapState(path.join(dir, 'v2.json'))).toBeNull();
    await writeFile(path.join(dir, 'odd.json'), JSON.stringify({ version: 1, inputsHash: 'h', finished: ['doctor', 'nonsense'] }));
    expect((await readBootstrapState(path.join(dir, 'odd.json')))?.finished).toEqual(['doctor']);
    expect(await readFile(path.join(dir, 'odd.json'), 'utf8')).toContain('nonsense');
  });
});
