import { describe, expect, it } from 'vitest';
import { formatRenderedFile, redactPlan } from './format-rendered-file.js';
import type { RenderPlan } from './render-types.js';

const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'qed-secrets', namespace: 'qed' },
  type: 'Opaque',
  stringData: { POSTGRES_PASSWORD: 'known-value-Gh78' },
};
const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c' },
  data: { FLAG: 'yes', MODE: '0400', TEXT: 'x: y' },
};

describe('formatRenderedFile', () => {
  it('writes a header, then one document per object, quoting what kubectl would not read as a string', () => {
    expect(formatRenderedFile({ name: 'c.yaml', objects: [configMap, configMap] })).toBe(
      [
        '# Rendered by qed-bootstrap: c.yaml. Edit manifests/base or manifests/profiles and render again.',
        '---',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  FLAG: "yes"\n  MODE: "0400"\n  TEXT: "x: y"',
        '---',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  FLAG: "yes"\n  MODE: "0400"\n  TEXT: "x: y"\n',
      ].join('\n'),
    );
  });

  it('marks the file that holds secret values', () => {
    expect(formatRenderedFile({ name: 's.yaml', objects: [secret] }).split('\n')[1]).toBe(
      '# Holds secret values: keep it private (mode 0600) and never commit it.',
    );
  });
});

describe('redactPlan', () => {
  it('masks every Secret value and leaves the plan it was given alone', () => {
    const plan: RenderPlan = {
      files: [
        { name: 'qed-secrets.secret.yaml', objects: [secret] },
        { name: 'c.yaml', objects: [configMap] },
      ],
      objects: [secret, configMap],
      requiredSecretKeys: ['POSTGRES_PASSWORD'],
      warnings: [],
    };
    const redacted = redactPlan(plan);
    expect(redacted.objects[0]).toEqual({ ...secret, stringData: { POSTGRES_PASSWORD: '***' } });
    expect(redacted.objects[1]).toBe(configMap);
    expect(JSON.stringify(redacted)).not.toContain('known-value-Gh78');
    expect(plan.objects[0]).toBe(secret);
    expect(secret.stringData.POSTGRES_PASSWORD).toBe('known-value-Gh78');
  });
});
