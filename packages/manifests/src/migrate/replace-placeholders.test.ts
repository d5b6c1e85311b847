import { describe, expect, it } from 'vitest';
import { originalColumn, replacePwdPlaceholders } from './replace-placeholders.js';

describe('replacePwdPlaceholders', () => {
  it('replaces every spelling of the placeholder and says where each one was', () => {
    const text = 'a: 1\npath: {{PWD}}/data/x\nother: "{{ PWD }}/y" # {{PWD}}\n';
    const { text: replaced, replacements, unsafeValue } = replacePwdPlaceholders(text, '/home/me/qed');
    expect(replaced).toBe('a: 1\npath: /home/me/qed/data/x\nother: "/home/me/qed/y" # /home/me/qed\n');
    expect(replacements.map((r) => [r.line, r.column, r.placeholder])).toEqual([
      [2, 7, '{{PWD}}'],
      [3, 9, '{{ PWD }}'],
      [3, 24, '{{PWD}}'],
    ]);
    expect(unsafeValue).toBe(false);
  });

  it('leaves text without placeholders as it is', () => {
    const text = 'path: data/pv-mongodb\nname: "{{ .Values.name }}"\n';
    expect(replacePwdPlaceholders(text, '/x#y')).toEqual({ text, replacements: [], unsafeValue: false });
  });

  it.each([
    ['/home/me/my #qed', true],
    ['/home/me/a: b', true],
    ["/home/me/o'neil", true],
    ['/home/me/"q"', true],
    ['/c/Users/John Smith/qed', false],
    ['/home/me/c#sharp', false],
  ])('judges %j as unsafe to paste into YAML: %s', (value, unsafe) => {
    expect(replacePwdPlaceholders('path: {{PWD}}/data\n', value).unsafeValue).toBe(unsafe);
  });
});

describe('originalColumn', () => {
  // "k: {{PWD}} {{ PWD }} z" with value "/r/oot" (6 characters): the first placeholder
  // (7 characters) starts at column 4, the second (9) at 12, z at 22; after replacement
  // they start at 4 and 11, and z at 18.
  const { replacements } = replacePwdPlaceholders('k: {{PWD}} {{ PWD }} z\n', '/r/oot');

  it.each([
    [1, 1, 'before any replacement'],
    [4, 4, 'at the first pasted value'],
    [6, 4, 'inside the first pasted value: its placeholder'],
    [10, 11, 'between the two'],
    [13, 12, 'inside the second pasted value'],
    [18, 22, 'after both'],
  ])('column %i of the replaced text is column %i of the file (%s)', (replacedColumn, column) => {
    expect(originalColumn(replacements, 1, replacedColumn)).toBe(column);
  });

  it('leaves lines without replacements alone', () => {
    expect(originalColumn(replacements, 2, 18)).toBe(18);
  });
});
