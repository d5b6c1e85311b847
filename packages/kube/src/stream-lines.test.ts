import { describe, expect, it } from 'vitest';
import { streamLines } from './stream-lines.js';

async function linesOf(chunks: Array<string | Buffer>): Promise<string[]> {
  async function* source() {
    for (const chunk of chunks) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
  }
  const lines: string[] = [];
  for await (const line of streamLines(source())) lines.push(line);
  return lines;
}

const euro = Buffer.from('€'); // three bytes in UTF-8

describe('streamLines', () => {
  it.each<[string, Array<string | Buffer>, string[]]>([
    ['one chunk, several lines', ['a\nb\n'], ['a', 'b']],
    ['a line cut between chunks', ['hel', 'lo\nwor', 'ld\n'], ['hello', 'world']],
    ['a last line with no break', ['a\nb'], ['a', 'b']],
    ['empty lines kept', ['a\n\nb\n'], ['a', '', 'b']],
    ['CRLF breaks', ['a\r\nb\r\n'], ['a', 'b']],
    ['a character cut between chunks', [euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('\n')])], ['€']],
    ['nothing', [], []],
  ])('%s', async (_name, chunks, expected) => {
    expect(await linesOf(chunks)).toEqual(expected);
  });
});
