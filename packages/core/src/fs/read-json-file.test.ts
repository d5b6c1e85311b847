import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError, describeJsonValue, readJsonFile } from './read-json-file.js';

const syntaxError = (text: string): Error => {
  try {
    JSON.parse(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${text} is JSON`);
};

describe('describeJsonSyntaxError', () => {
  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', "Expected ',' or '}' after property value at line 3, column 3"],
    ['{"a": tru}', "Unexpected token '}' at line 1, column 10"],
    ['[1,\n 2,\n]', "Unexpected token ']' at line 3, column 1"],
    ['{"finished": ["doc', 'Unterminated string at line 1, column 19'],
    ['{"a": 1,\n', 'Expected double-quoted property name at line 2, column 1'],
    ['', 'Unexpected end of JSON input at line 1, column 1'],
    ['{"a": 1}\n}', 'Unexpected non-whitespace character after JSON at line 2, column 1'],
    ['xyz', "Unexpected token 'x' at line 1, column 1"],
  ])('%j: %s', (text, expected) => {
    expect(describeJsonSyntaxError(text, syntaxError(text))).toBe(expected);
  });

  it('never quotes the file back (it may be long, or hold values nobody should print)', () => {
    const text = `{"token": "${'s'.repeat(200)}" x}`;
    expect(describeJsonSyntaxError(text, syntaxError(text))).toBe("Expected ',' or '}' after property value at line 1, column 214");
  });
});

describe('readJsonFile', () => {
  const invalid = (problem: string) => new Error(`broken: ${problem}`);

  it('gives the value, or undefined when there is no file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-json-'));
    await writeFile(path.join(dir, 'a.json'), '{"a": [1]}\n');
    expect(await readJsonFile(path.join(dir, 'a.json'), invalid)).toEqual({ value: { a: [1] } });
    await writeFile(path.join(dir, 'null.json'), 'null');
    expect(await readJsonFile(path.join(dir, 'null.json'), invalid)).toEqual({ value: null });
    expect(await readJsonFile(path.join(dir, 'absent.json'), invalid)).toBeUndefined();
  });

  it('reports a file that is not JSON through `invalid`, and one it cannot read as FILE_ACCESS_FAILED naming it (not a bare error: no bug)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-json-'));
    await writeFile(path.join(dir, 'bad.json'), '{"a": 1,}');
    await expect(readJsonFile(path.join(dir, 'bad.json'), invalid)).rejects.toThrow('broken: is not JSON: Expected double-quoted property name at line 1, column 9');
    const folder = path.join(dir, 'folder.json');
    await mkdir(folder);
    await expect(readJsonFile(folder, invalid)).rejects.toMatchObject({
      code: 'FILE_ACCESS_FAILED',
      message: `cannot read ${folder}: it is a folder, where a file belongs`,
      hint: expect.stringContaining(`mv ${folder} ${folder}.old`),
      data: { file: folder, errno: 'EISDIR', action: 'read' },
    });
  });
});

describe('describeJsonValue', () => {
  it.each([
    [undefined, 'missing'],
    [null, 'null'],
    [[], 'an array'],
    ['', 'an empty string'],
    ['x', 'a string'],
    [5, 'a number'],
    [true, 'a boolean'],
    [{}, 'an object'],
  ])('%j is %s', (value, expected) => {
    expect(describeJsonValue(value)).toBe(expected);
  });
});
