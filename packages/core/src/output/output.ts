import { styleText } from 'node:util';
import type { OutputMode } from './output-mode.js';

type Style = 'green' | 'yellow' | 'red' | 'gray' | 'bold' | 'cyan';

export interface WritableText {
  write(chunk: string): unknown;
}

/**
 * The one place text reaches the terminal. Human messages go to stderr when
 * --json owns stdout, so `--json | jq` always receives exactly one JSON value.
 */
export class Output {
  readonly mode: OutputMode;
  private readonly stdout: WritableText;
  private readonly stderr: WritableText;

  constructor(mode: OutputMode, stdout: WritableText, stderr: WritableText) {
    this.mode = mode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  paint(style: Style, text: string): string {
    return this.mode.color ? styleText(style, text, { validateStream: false }) : text;
  }

  /** Normal progress and results; silenced by --quiet and by --json. */
  info(message: string): void {
    if (!this.mode.quiet && !this.mode.json) this.stdout.write(`${message}\n`);
  }

  /** Results that are the point of the command (a report, a table); only --json replaces them. */
  result(message: string): void {
    if (!this.mode.json) this.stdout.write(`${message}\n`);
  }

  warn(message: string): void {
    if (!this.mode.quiet) this.stderr.write(`${this.paint('yellow', 'warning:')} ${message}\n`);
  }

  /** Errors are never silenced. */
  error(message: string): void {
    this.stderr.write(`${this.paint('red', 'error:')} ${message}\n`);
  }

  json(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One object on one line: a stream of events (the bootstrap's steps, dev's cycles) a reader parses line by line. */
  jsonLine(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Left-aligned columns, widths from the visible text so colours do not skew them. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell))))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
