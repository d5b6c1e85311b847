import { describe, expect, it } from 'vitest';
import { batchFileArguments } from './windows-command-line.js';

const NPM = 'C:\\Program Files\\nodejs\\npm.cmd';

describe('batchFileArguments: the cmd.exe command line for a batch file', () => {
  it('quotes the file, quotes each argument and puts a caret before every character cmd.exe would act on', () => {
    expect(batchFileArguments(NPM, ['install', '--prefix', 'C:\\Users\\me\\my app'])).toEqual([
      '/d',
      '/v:off',
      '/s',
      '/c',
      '""C:\\Program Files\\nodejs\\npm.cmd" ^"install^" ^"--prefix^" ^"C:\\Users\\me\\my app^""',
    ]);
  });

  it.each([
    ['operators', 'a&b|c<d>e', '^"a^&b^|c^<d^>e^"'],
    ['parentheses and carets', '(x)^y', '^"^(x^)^^y^"'],
    ['variables, % and ! alike', '%PATH% !PATH! 100%', '^"^%PATH^% ^!PATH^! 100^%^"'],
    ['an empty argument, kept as one', '', '^"^"'],
    ['a trailing backslash, doubled so it does not escape the closing quote', 'C:\\dir\\', '^"C:\\dir\\\\^"'],
    ['inner backslashes, left alone', 'a\\b\\\\c', '^"a\\b\\\\c^"'],
    ['spaces and non-ASCII', 'ünï cödé', '^"ünï cödé^"'],
  ])('%s', (_, arg, expected) => {
    expect(batchFileArguments('x.cmd', [arg]).at(-1)).toBe(`""x.cmd" ${expected}"`);
  });

  it.each([
    ['a double quote', 'say "hi"'],
    ['a line break', 'two\nlines'],
    ['a carriage return', 'a\rb'],
  ])('refuses an argument holding %s, which cmd.exe cannot hand on unchanged', (_, arg) => {
    expect(() => batchFileArguments(NPM, ['run', arg])).toThrow(
      expect.objectContaining({ code: 'COMMAND_ARGUMENT_REFUSED', hint: expect.stringContaining('.exe') }),
    );
  });
});
