import type { ComposeProblem, ComposeWarning, KeyPath, Location } from '../source/compose-problem.js';
import { formatKeyPath } from '../source/compose-problem.js';
import type { ComposeSource } from '../source/read-compose-file.js';

/**
 * Typed reads of raw compose values that record a located problem instead of
 * throwing, so one pass over a file reports every wrong type in it.
 */
export class FieldReader {
  readonly problems: ComposeProblem[] = [];
  readonly warnings: ComposeWarning[] = [];
  readonly source: ComposeSource;

  constructor(source: ComposeSource) {
    this.source = source;
  }

  at(path: KeyPath): Location {
    return this.source.locate(path);
  }

  problem(path: KeyPath, message: string): undefined {
    this.problems.push({ ...this.source.locate(path), key: formatKeyPath(path), message });
    return undefined;
  }

  warn(path: KeyPath, message: string, service?: string): void {
    this.warnings.push({ ...this.source.locateKey(path), key: formatKeyPath(path), message, ...(service ? { service } : {}) });
  }

  /** Strings, and numbers written without quotes (compose accepts `image: 3` as "3"). */
  string(value: unknown, path: KeyPath): string | undefined {
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    return this.problem(path, `must be a string, not ${describe(value)}`);
  }

  integer(value: unknown, path: KeyPath, min = 0): number | undefined {
    const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= min) return n;
    return this.problem(path, `must be a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}, not ${describe(value)}`);
  }

  boolean(value: unknown, path: KeyPath): boolean | undefined {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.problem(path, `must be true or false, not ${describe(value)}`);
  }

  /** A list of strings; a lone string counts as a list of one where compose allows it. */
  stringList(value: unknown, path: KeyPath, options: { allowSingle?: boolean } = {}): string[] {
    if (options.allowSingle && (typeof value === 'string' || typeof value === 'number')) return [String(value)];
    if (!Array.isArray(value)) {
      this.problem(path, `must be a list${options.allowSingle ? ' or a string' : ''}, not ${describe(value)}`);
      return [];
    }
    return value.flatMap((item, i) => {
      const s = this.string(item, [...path, i]);
      return s === undefined ? [] : [s];
    });
  }

  map(value: unknown, path: KeyPath): Record<string, unknown> | undefined {
    if (isPlainMap(value)) return value;
    return this.problem(path, `must be a mapping (key: value), not ${describe(value)}`);
  }

  /**
   * environment / labels / args: a mapping of scalars, or a list of KEY=VALUE
   * (KEY alone meaning "no value here"). Returns entries in file order, each with
   * where it is written.
   */
  keyValues(value: unknown, path: KeyPath): Array<[string, string | undefined, Location]> {
    if (Array.isArray(value)) {
      return value.flatMap((item, i): Array<[string, string | undefined, Location]> => {
        const entry = this.string(item, [...path, i]);
        if (entry === undefined) return [];
        const eq = entry.indexOf('=');
        const key = eq < 0 ? entry : entry.slice(0, eq);
        if (key.trim() === '') {
          this.problem([...path, i], `"${entry}" has no name before "="`);
          return [];
        }
        return [[key, eq < 0 ? undefined : entry.slice(eq + 1), this.at([...path, i])]];
      });
    }
    if (isPlainMap(value)) {
      return Object.entries(value).flatMap(([key, v]): Array<[string, string | undefined, Location]> => {
        const at = this.source.locateKey([...path, key]);
        if (v === null || v === undefined) return [[key, undefined, at]];
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return [[key, String(v), at]];
        this.problem([...path, key], `must be a string, number or boolean, not ${describe(v)}`);
        return [];
      });
    }
    this.problem(path, `must be a mapping or a list of KEY=VALUE, not ${describe(value)}`);
    return [];
  }

  /**
   * A file mode as docker compose reads it: octal when written with a leading 0
   * (`0440`, `0o440`) or as a string (`"440"`), decimal when written as a plain number
   * without one (`288`). YAML 1.2 alone would read `0440` as four hundred and forty.
   */
  fileMode(value: unknown, path: KeyPath): number | undefined {
    const written = typeof value === 'number' ? (this.source.scalarText(path) ?? String(value)) : value;
    let mode: number | undefined;
    if (typeof written === 'string') {
      const text = written.trim();
      if (typeof value === 'number' && /^\d+$/.test(text) && !text.startsWith('0')) mode = Number(text);
      else if (/^(0o?)?[0-7]+$/i.test(text)) mode = Number.parseInt(text.replace(/^0o/i, ''), 8);
    }
    if (mode !== undefined && mode <= 0o777) return mode;
    return this.problem(path, `must be a file mode like 0440 (octal, at most 0777), not ${describe(value)}`);
  }
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
