import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultQedConfig, parseConfig, QED_SERVICES } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { applyAnswers, askBootstrapAnswers, type Prompter, saveAnswers } from './prompts.js';

/** Answers each question by its message; records what was asked and the defaults offered. */
function scripted(answers: Record<string, unknown>): Prompter & { asked: Array<{ message: string; default?: unknown }> } {
  const asked: Array<{ message: string; default?: unknown }> = [];
  const answer = <T>(q: { message: string; default?: unknown }, fallback: T): Promise<T> => {
    asked.push({ message: q.message, default: q.default });
    const key = Object.keys(answers).find((k) => q.message.startsWith(k));
    return Promise.resolve((key === undefined ? fallback : answers[key]) as T);
  };
  return {
    asked,
    select: (q) => answer(q, q.default as never),
    input: (q) => answer(q, q.default ?? ''),
    checkbox: (q) => answer(q, q.choices.filter((c) => c.checked).map((c) => c.value)),
    confirm: (q) => answer(q, q.default ?? false),
  };
}

describe('askBootstrapAnswers', () => {
  it('asks driver, CPUs and memory only for minikube, prefilled from the config', async () => {
    const config = { ...defaultQedConfig('/home/u'), registry: { host: '127.0.0.1:5001', name: 'registry' } };
    const prompter = scripted({ 'Where should QED run?': 'minikube', 'CPUs for the cluster': '6', 'Services to deploy': ['nginx', 'redis'] });
    const answers = await askBootstrapAnswers(prompter, { config, target: { kind: 'minikube' }, profile: 'local', contexts: ['kind-kind'], macos: true });
    expect(prompter.asked.map((q) => q.message.split(' (')[0])).toEqual([
      'Where should QED run?',
      'minikube driver',
      'CPUs for the cluster',
      'Memory for the cluster',
      'Manifest profile',
      'Services to deploy',
      'Local registry port',
      "Fix docker's config.json if its credential store would break pushes to the local registry? (a backup is kept)".split(' (')[0],
    ]);
    expect(prompter.asked.find((q) => q.message.startsWith('Local registry port'))?.default).toBe('5001');
    expect(answers).toMatchObject({ target: { kind: 'minikube' }, cpus: 6, memoryMb: 8192, services: ['nginx', 'redis'], registryPort: 5001, fixDockerConfig: true });

    const onContext = scripted({ 'Where should QED run?': 'context:kind-kind' });
    const other = await askBootstrapAnswers(onContext, { config, target: { kind: 'minikube' }, profile: 'aws', contexts: ['kind-kind'], macos: false });
    expect(onContext.asked.map((q) => q.message.split(' (')[0])).toEqual(['Where should QED run?', 'Manifest profile', 'Services to deploy', 'Local registry port']);
    expect(other).toMatchObject({ target: { kind: 'context', context: 'kind-kind' }, profile: 'aws', services: [...QED_SERVICES], fixDockerConfig: null });
  });
});

describe('saveAnswers', () => {
  it('writes only what changed, keeps comments and other keys, and backs the old file up', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-answers-'));
    const file = path.join(dir, 'qed.config.yaml');
    const text = '# our team setup\ncluster:\n  profile: qed # the VM\nregistry:\n  host: 127.0.0.1:5000\nnamespace: qed-dev\n';
    await writeFile(file, text);
    const previous = parseConfig(text, file, '/home/u');
    const answers = { target: { kind: 'minikube' as const }, driver: 'docker' as const, profile: 'local' as const, cpus: 4, memoryMb: 8192, services: ['nginx' as const], registryPort: 5001, fixDockerConfig: null };
    const saved = await saveAnswers(file, previous, answers, new Date('2026-11-24T08:09:10Z'));
    expect(saved.changed).toEqual(['cluster.driver', 'registry.host', 'services']);
    expect(saved.backup).toBe(`${file}.20261124-080910.bak`);
    expect(await readFile(saved.backup ?? '', 'utf8')).toBe(text);
    const written = await readFile(file, 'utf8');
    expect(written).toContain('# our team setup');
    expect(written).toContain('profile: qed # the VM');
    expect(written).toContain('namespace: qed-dev');
    expect(parseConfig(written, file, '/home/u')).toEqual(applyAnswers(previous, answers));
    expect((await readdir(dir)).sort()).toEqual(['qed.config.yaml', 'qed.config.yaml.20261124-080910.bak']);
  });

  it('creates the file when there is none, and leaves it alone when nothing differs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-answers-'));
    const file = path.join(dir, 'qed.config.yaml');
    const previous = defaultQedConfig('/home/u');
    const same = { target: { kind: 'context' as const, context: 'x' }, driver: previous.cluster.driver, profile: 'local' as const, cpus: 4, memoryMb: 8192, services: [...previous.services], registryPort: 5000, fixDockerConfig: null };
    const now = new Date('2026-11-24T08:09:10Z');
    expect(await saveAnswers(file, previous, same, now)).toMatchObject({ changed: [], backup: null });
    expect(await readdir(dir)).toEqual([]);
    const saved = await saveAnswers(file, previous, { ...same, registryPort: 5002 }, now);
    expect(saved).toMatchObject({ changed: ['registry.host'], backup: null });
    expect(await readFile(file, 'utf8')).toBe('registry:\n  host: 127.0.0.1:5002\n');
  });
});
