import { readFile } from 'node:fs/promises';
import { fileAccessError } from './file-access-error.js';

/**
 * A JSON file qed-bootstrap wrote for itself (`.qed/…`): `{ value }`, or undefined
 * when there is no such file. A file that is there but is not JSON goes to
 * `invalid` with what is wrong and where ("is not JSON: Unexpected end of JSON
 * input at line 4, column 1"), so the caller can say how to reset it. A file that
 * cannot be read (no permission, a folder in its place) is FILE_ACCESS_FAILED,
 * naming it and what to do.
 */
export async function readJsonFile(file: string, invalid: (problem: string) => Error): Promise<{ value: unknown } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileAccessError(error, file, 'read');
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    throw invalid(`is not JSON: ${describeJsonSyntaxError(text, error as Error)}`);
  }
}

/**
 * JSON.parse's complaint without its quote of the text, and where it is as line and
 * column (1-based). The place is found by parsing prefixes, not read from the
 * message: V8 gives no position for "Unexpected token", and its wording changes
 * between Node releases.
 */
export function describeJsonSyntaxError(text: string, error: Error): string {
  const what = error.message.replace(/ (in JSON )?at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
  const { line, column } = lineAndColumn(text, syntaxErrorOffset(text));
  return `${what} at line ${line}, column ${column}`;
}

/** The offset of the character JSON.parse stops at; the text's length when it only ends too early. */
function syntaxErrorOffset(text: string): number {
  // A prefix that merely ends too early fails "at the end"; once it includes the
  // bad character it fails before its end. So the first such prefix ends with it.
  const failsBeforeEnd = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = (error as Error).message;
      const at = /at position (\d+)/.exec(message);
      return !/end of JSON input/.test(message) && (at === null || Number(at[1]) < length);
    }
  };
  if (!failsBeforeEnd(text.length)) return text.length;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsBeforeEnd(mid)) high = mid;
    else low = mid + 1;
  }
  return low - 1;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** What a JSON value is, for "wrong shape" messages: "an array", "null", "a number" … */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}
