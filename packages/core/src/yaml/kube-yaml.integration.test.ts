import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { isTruthyEnv } from '../output/output-mode.js';
import { formatKubeYaml } from './kube-yaml.js';
import { anyString, TABLED_STRINGS, yaml11SpecialString } from './kube-yaml-test-support.js';

// Provided by tools/testenv's global setup (vitest-global-setup.ts), which this package
// cannot import: testenv depends on @qed/core.
declare module 'vitest' {
  export interface ProvidedContext {
    yaml11Reader: { available: true; path: string } | { available: false; reason: string };
  }
}

const NAME =
  "formatKubeYaml read back by kubectl's own decoder (sigs.k8s.io/yaml YAMLToJSON over go-yaml v2)";

/** One YAML document as kubectl and the API server decode it, as JSON. */
function readAsKubectl(reader: string, text: string): unknown {
  const result = spawnSync(reader, [], { input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(`yaml11-read refused the document: ${result.stderr.trim()}\n${text}`);
  return JSON.parse(result.stdout);
}

/** Every string as a list item, a nested list item and a map key, in one document. */
function expectReadBackByKubectl(reader: string, strings: string[]): void {
  const keys = Object.fromEntries(strings.map((s, i) => [s, i]));
  const text = formatKubeYaml({ values: strings, nested: { deeper: { values: strings } }, keys });
  expect(readAsKubectl(reader, text)).toEqual({
    values: strings,
    nested: { deeper: { values: strings } },
    keys,
  });
}

const reader = inject('yaml11Reader');
if (reader.available) {
  describe(NAME, () => {
    it('the reader is YAML 1.1: plain Y, off, 0o17 and 1_000 are not strings to it', () => {
      expect(readAsKubectl(reader.path, 'a: Y\nb: off\nc: 0o17\nd: 1_000\ne: "Y"\n')).toEqual({
        a: true,
        b: false,
        c: 15,
        d: 1000,
        e: 'Y',
      });
    });

    it('reads the listed special strings, the escaped ones and the plain ones back as themselves', () => {
      expectReadBackByKubectl(reader.path, TABLED_STRINGS);
    });

    it('property: batches of strings from the grammar of YAML 1.1 implicit types read back as themselves', () => {
      fc.assert(
        fc.property(fc.array(yaml11SpecialString, { minLength: 1, maxLength: 200 }), (batch) =>
          expectReadBackByKubectl(reader.path, batch),
        ),
        { numRuns: 50 },
      );
    });

    it('property: batches of any strings read back as themselves', () => {
      fc.assert(
        fc.property(fc.array(anyString, { minLength: 1, maxLength: 200 }), (batch) =>
          expectReadBackByKubectl(reader.path, batch),
        ),
        { numRuns: 50 },
      );
    });
  });
} else if (isTruthyEnv(process.env.CI)) {
  describe(NAME, () => {
    it('needs yaml11-read, which the test environment builds', () => {
      throw new Error(`CI=true and ${reader.reason}`);
    });
  });
} else {
  describe.skip(`${NAME} [skipped: ${reader.reason}]`, () => {
    it('needs yaml11-read', () => undefined);
  });
}
