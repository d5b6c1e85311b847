import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatKubeYaml, readsAsNonString } from './kube-yaml.js';
import {
  anyString,
  ESCAPED_STRINGS,
  LISTED_SPECIAL_STRINGS,
  PLAIN_STRINGS,
  yaml11SpecialString,
} from './kube-yaml-test-support.js';

/** A test name with no raw control or line-break characters in it. */
function showAscii(s: string): string {
  return JSON.stringify(s).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** The string as a map key, a map value and a list item, read back by `yaml` as YAML 1.1 and as YAML 1.2. */
function readBack(
  text: string,
): Array<{ version: '1.1' | '1.2'; keys: string[]; value: unknown; item: unknown }> {
  return (['1.1', '1.2'] as const).map((version) => {
    const { key, list } = parse(text, { version });
    return { version, keys: Object.keys(key), value: key[Object.keys(key)[0] ?? ''], item: list[0] };
  });
}

function expectReadBackAsItself(s: string): void {
  const text = formatKubeYaml({ key: { [s]: s }, list: [s] });
  for (const read of readBack(text))
    expect(read, `${JSON.stringify(s)} read as YAML ${read.version}`).toEqual({
      ...read,
      keys: [s],
      value: s,
      item: s,
    });
}

describe('formatKubeYaml', () => {
  it('writes the usual style: block, two-space indentation, no document marker, no folding, no anchors', () => {
    const shared = { name: 'ACCEPT_EULA', value: 'Y' };
    const object = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'mssql', labels: { 'app.kubernetes.io/name': 'mssql' } },
      spec: {
        replicas: 1,
        paused: false,
        template: {
          spec: {
            containers: [
              {
                name: 'mssql',
                image: 'mcr.microsoft.com/mssql/server:2022',
                env: [shared, shared],
                args: ['x'.repeat(200)],
              },
            ],
            nodeSelector: null,
          },
        },
      },
      data: { 'nginx.conf': 'server {\n  listen 80;\n}\n' },
    };
    expect(formatKubeYaml(object)).toMatchInlineSnapshot(`
      "apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: mssql
        labels:
          app.kubernetes.io/name: mssql
      spec:
        replicas: 1
        paused: false
        template:
          spec:
            containers:
              - name: mssql
                image: mcr.microsoft.com/mssql/server:2022
                env:
                  - name: ACCEPT_EULA
                    value: "Y"
                  - name: ACCEPT_EULA
                    value: "Y"
                args:
                  - xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
            nodeSelector: null
      data:
        nginx.conf: |
          server {
            listen 80;
          }
      "
    `);
  });

  it.each(LISTED_SPECIAL_STRINGS)(
    'quotes %j, as a value and as a key, and both YAML 1.1 and 1.2 read it back',
    (s) => {
      const text = formatKubeYaml({ key: { [s]: s }, list: [s] });
      const quoted = JSON.stringify(s);
      expect(text).toContain(`\n  ${quoted}: ${quoted}\n`);
      expect(text).toContain(`\n  - ${quoted}\n`);
      expectReadBackAsItself(s);
    },
  );

  it.each(PLAIN_STRINGS)('leaves %j plain: it is a string to every reader', (s) => {
    expect(formatKubeYaml({ [s]: s })).toBe(`${s}: ${s}\n`);
  });

  it.each(ESCAPED_STRINGS.map((s) => ({ s, shown: showAscii(s) })))(
    'writes $shown double-quoted and escaped where YAML 1.1 would read a line break or refuse it',
    ({ s }) => {
      const text = formatKubeYaml({ value: s });
      expect(text).toMatch(/^value: "/);
      expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe]/);
      expectReadBackAsItself(s);
    },
  );

  it('quotes what go-yaml v2 resolves by its own rules: strconv prefixes in any case, signs before underscores', () => {
    for (const s of [
      '0o17',
      '0O17',
      '+0o17',
      '0X1F',
      '0B101',
      '-_1',
      '1__0',
      '08',
      '1_0.5',
      '.5e3',
      '99999999999999999999',
    ])
      expect(readsAsNonString(s), s).toBe(true);
    for (const s of PLAIN_STRINGS) expect(readsAsNonString(s), s).toBe(false);
  });

  it('property: every string drawn from a grammar of YAML 1.1 implicit types reads back as itself', () => {
    fc.assert(fc.property(yaml11SpecialString, expectReadBackAsItself), { numRuns: 2000 });
  });

  it('property: every string, of any code points, reads back as itself', () => {
    fc.assert(fc.property(anyString, expectReadBackAsItself), { numRuns: 2000 });
  });
});
