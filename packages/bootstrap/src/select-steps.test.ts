import { describe, expect, it } from 'vitest';
import type { BootstrapState } from './bootstrap-state.js';
import { selectSteps } from './select-steps.js';
import { STEP_IDS, type StepId } from './step-ids.js';

const state = (over: Partial<BootstrapState>): BootstrapState => ({
  version: 1,
  inputsHash: 'h1',
  finished: [],
  failed: null,
  interrupted: null,
  completed: false,
  updatedAt: '2026-11-24T00:00:00.000Z',
  ...over,
});
const running = (selection: ReturnType<typeof selectSteps>) => STEP_IDS.filter((id) => selection.dispositions[id] === 'run');
const done = (selection: ReturnType<typeof selectSteps>) => STEP_IDS.filter((id) => selection.dispositions[id] === 'done-in-previous-run');
const upTo = (id: StepId) => STEP_IDS.slice(0, STEP_IDS.indexOf(id));

describe('selectSteps', () => {
  it('runs every step on a first run', () => {
    const s = selectSteps(null, 'h1');
    expect(running(s)).toEqual([...STEP_IDS]);
    expect(s.resumedFrom).toBeNull();
    expect(s.reason).toBe('first run');
  });

  it('resumes at the failed step of the same inputs, reporting the finished ones as done in the previous run', () => {
    const s = selectSteps(state({ finished: upTo('images'), failed: { step: 'images', code: 'IMAGES_FAILED', message: 'x' } }), 'h1');
    expect(s.resumedFrom).toBe('images');
    expect(running(s)).toEqual(['images', 'manifests', 'apply', 'wait', 'summary']);
    expect(done(s)).toEqual(['doctor', 'cluster', 'registry', 'docker-config']);
    expect(s.carriedOver).toEqual(upTo('images'));
    expect(s.reason).toBe('resuming at images, which failed in the last run');
  });

  it('resumes at an interrupted step', () => {
    const s = selectSteps(state({ finished: upTo('wait'), interrupted: 'wait' }), 'h1');
    expect(s.start).toBe('wait');
    expect(s.reason).toContain('was interrupted');
  });

  it.each([
    ['changed inputs', state({ inputsHash: 'other', finished: upTo('apply'), failed: { step: 'apply', code: 'X', message: 'x' } }), 'the inputs changed'],
    ['a completed run', state({ finished: [...STEP_IDS], completed: true }), 'the last run completed'],
  ])('starts from the beginning after %s', (_name, previous, reason) => {
    const s = selectSteps(previous, 'h1');
    expect(s.start).toBe('doctor');
    expect(s.resumedFrom).toBeNull();
    expect(done(s)).toEqual([]);
    expect(s.reason).toContain(reason);
  });

  it('--from and --to override the resume point', () => {
    const previous = state({ finished: upTo('images'), failed: { step: 'images', code: 'X', message: 'x' } });
    const s = selectSteps(previous, 'h1', { from: 'registry', to: 'registry' });
    expect(running(s)).toEqual(['registry']);
    expect(s.resumedFrom).toBeNull();
    expect(s.carriedOver).toEqual(['doctor', 'cluster']);
    expect(selectSteps(previous, 'h1', { to: 'manifests' }).start).toBe('images');
    expect(running(selectSteps(null, 'h1', { to: 'cluster' }))).toEqual(['doctor', 'cluster']);
  });

  it('refuses --from after --to, naming the order', () => {
    expect(() => selectSteps(null, 'h1', { from: 'apply', to: 'images' })).toThrow(/--from apply comes after --to images/);
  });

  it('a range that finished entirely starts again from the beginning', () => {
    const s = selectSteps(state({ finished: upTo('images') }), 'h1', { to: 'docker-config' });
    expect(s.start).toBe('doctor');
    expect(running(s)).toEqual(['doctor', 'cluster', 'registry', 'docker-config']);
  });
});
