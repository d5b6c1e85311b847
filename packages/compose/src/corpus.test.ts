import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isQedError, type QedError } from '@qed/core';
import { type SourcedObject, validateManifests } from '@qed/manifests';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertProject } from './convert/convert-project.js';
import { BROKEN_IN_HISTORY, COMPOSE_KEYS, convertFile, corpusFiles, KOMPOSE_FEATURES, LOCAL_PROFILE } from './corpus-test-support.js';
import type { ConvertOptions } from './convert/convert-project.js';
import { loadCompose } from './load-compose.js';
import { parseComposeText } from './source/read-compose-file.js';

const files = corpusFiles();
const sourced = (objects: SourcedObject['object'][]): SourcedObject[] =>
  objects.map((object) => ({ object, source: { file: `${object.metadata.name}.yml`, documentIndex: 0, line: 1, lineOf: () => 1 } }));

describe('the QED compose corpus (shared/corpus/compose)', () => {
  it('holds the files the issue names', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
  });

  it.each(files.filter((f) => !BROKEN_IN_HISTORY.has(path.basename(f))).map((f) => [path.basename(f), f]))(
    '%s converts into objects the offline Kubernetes schema accepts',
    async (_name, file) => {
      const { objects } = await convertFile(file);
      expect(objects.filter((o) => o.kind === 'Deployment').length).toBeGreaterThan(0);
      const report = await validateManifests(sourced(objects), { namespace: 'qed' });
      expect(report.problems).toEqual([]);
    },
  );

  it.each([...BROKEN_IN_HISTORY].map((name) => [name]))('%s, broken YAML in the QED history, is refused with file:line:column', async (name) => {
    const file = files.find((f) => path.basename(f) === name) ?? '';
    const error = await loadCompose({ files: [file], env: {}, cwd: path.dirname(file) }).catch((e: unknown) => e);
    expect(isQedError(error) && error.code).toBe('COMPOSE_INVALID');
    expect((error as QedError).message).toMatch(new RegExp(`${name}:205:4 services\\.volumes: All mapping items must start at the same column`));
  });
});

/**
 * Mutations of real files: lines dropped, duplicated, re-indented, values swapped for
 * other types, characters inserted. Whatever comes out, loading and converting either
 * succeed or fail with a located COMPOSE_* error; nothing else may escape.
 */
describe('fuzzing the converter with mutated corpus files', () => {
  const readable = files.filter((f) => !BROKEN_IN_HISTORY.has(path.basename(f)));
  const replacements = ['', '[]', '{}', '~', '42', 'true', '"${UNSET:?boom}"', '${', '- x', ': :', '&a', '*a', "'", '"', '\t', '$$', '${A:-${B'];
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), line: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
    fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
    fc.record({ kind: fc.constant('value' as const), line: fc.nat(), replacement: fc.constantFrom(...replacements) }),
    fc.record({ kind: fc.constant('insert' as const), offset: fc.nat(), text: fc.string({ maxLength: 6 }) }),
  );

  type Mutation = { kind: string; line?: number; by?: number; replacement?: string; offset?: number; text?: string };
  function mutate(text: string, steps: Mutation[]): string {
    let lines = text.split('\n');
    for (const step of steps) {
      const i = (step.line ?? 0) % Math.max(1, lines.length);
      if (step.kind === 'drop') lines.splice(i, 1);
      else if (step.kind === 'duplicate') lines.splice(i, 0, lines[i] ?? '');
      else if (step.kind === 'indent') lines[i] = (step.by ?? 0) > 0 ? ' '.repeat(step.by ?? 0) + (lines[i] ?? '') : (lines[i] ?? '').slice(-(step.by ?? 0));
      else if (step.kind === 'value') lines[i] = (lines[i] ?? '').replace(/:\s.*$/, `: ${step.replacement}`);
      else {
        const joined = lines.join('\n');
        const at = (step.offset ?? 0) % Math.max(1, joined.length);
        lines = (joined.slice(0, at) + (step.text ?? '') + joined.slice(at)).split('\n');
      }
    }
    return lines.join('\n');
  }

  /**
   * Mutates the texts `runs` times (beside the files of the fixture folders, which they
   * name); returns how many mutants converted and how many were refused with a located
   * COMPOSE_* error.
   */
  async function fuzz(texts: string[], runs: number, options: Partial<ConvertOptions> = {}): Promise<{ refused: number; converted: number }> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-compose-fuzz-'));
    for (const fixture of [KOMPOSE_FEATURES, COMPOSE_KEYS]) await cp(path.dirname(fixture), dir, { recursive: true });
    const outcome = { refused: 0, converted: 0 };
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (index, steps) => {
        const file = path.join(dir, 'docker-compose.yml');
        await writeFile(file, mutate(texts[index] ?? '', steps));
        try {
          const project = await loadCompose({ files: [file], env: { DB_TLS_PEM: 'pem' }, cwd: dir });
          await convertProject(project, { ...LOCAL_PROFILE, ...options });
          outcome.converted++;
        } catch (error) {
          if (!isQedError(error) || !error.code.startsWith('COMPOSE_')) throw error;
          expect(error.message).toContain(file);
          outcome.refused++;
        }
      }),
      { numRuns: runs, seed: 20261124 },
    );
    return outcome;
  }

  it('never crashes: every outcome is objects or a COMPOSE_* error naming the file', async () => {
    const { refused, converted } = await fuzz(await Promise.all(readable.map((f) => readFile(f, 'utf8'))), 400);
    // Both outcomes happen: the mutations are neither all harmless nor all fatal.
    expect(refused).toBeGreaterThan(20);
    expect(converted).toBeGreaterThan(20);
    // Bounded by its count (400 runs), not by the clock: ~5 s idle, several times that on a loaded two-core machine.
  }, 300_000);

  it('never crashes on mutants of secrets, configs and kompose labels either', async () => {
    const { refused, converted } = await fuzz([await readFile(KOMPOSE_FEATURES, 'utf8')], 200);
    expect(refused).toBeGreaterThan(10);
    expect(converted).toBeGreaterThan(10);
  }, 300_000);

  it('never crashes on mutants of include, network_mode, networks, deploy.*, restart and the other compose keys either', async () => {
    const text = await readFile(COMPOSE_KEYS, 'utf8');
    const policies = await fuzz([text], 150, { networkPolicies: true, volumes: 'configMap' });
    const pods = await fuzz([text], 50, { runOnce: 'pod' });
    expect(policies.refused + pods.refused).toBeGreaterThan(10);
    expect(policies.converted + pods.converted).toBeGreaterThan(10);
  }, 300_000);

  it('parses text that is not YAML at all into a located error', () => {
    expect(() => parseComposeText('services: [\n', 'bad.yml')).toThrow(/bad\.yml:\d+:\d+/);
  });
});
