/**
 * Early versions of the original project wrote `path: {{PWD}}/data/pv-mongodb` and ran
 * the files through sed before kubectl saw them. Until it is filled in, `{{` opens a
 * YAML flow mapping, so the substitution has to happen on the text, before parsing.
 */
const PLACEHOLDER = /\{\{\s*PWD\s*\}\}/g;

/**
 * Characters that would change what the YAML around the placeholder means once the
 * value is pasted in: ` #` starts a comment and `: ` a mapping in a plain scalar,
 * quotes and backslashes end or escape a quoted one, a line break ends either. Such a
 * value would not fail loudly, it would silently shorten or reshape the path.
 */
const UNSAFE_IN_YAML = /\s#|:(\s|$)|["'\\\r\n\t]/;

export interface PlaceholderReplacement {
  /** 1-based, in the original text (and in the replaced one: no line breaks are added). */
  line: number;
  /** 1-based column of the placeholder in the original text. */
  column: number;
  /** The text replaced, as written (`{{PWD}}` or a spaced variant). */
  placeholder: string;
  value: string;
}

export interface ReplacedText {
  text: string;
  replacements: PlaceholderReplacement[];
  /** Set when the value cannot be pasted into YAML without changing its meaning. */
  unsafeValue: boolean;
}

export function replacePwdPlaceholders(text: string, value: string): ReplacedText {
  const replacements: PlaceholderReplacement[] = [];
  const lineStarts = lineStartOffsets(text);
  const replaced = text.replace(PLACEHOLDER, (placeholder: string, offset: number) => {
    const line = lineAt(lineStarts, offset);
    replacements.push({ line, column: offset - (lineStarts[line - 1] ?? 0) + 1, placeholder, value });
    return value;
  });
  return { text: replaced, replacements, unsafeValue: replacements.length > 0 && UNSAFE_IN_YAML.test(value) };
}

/**
 * A column reported by the YAML parser on the replaced text, moved back to where the
 * user sees it in their file: every replacement earlier on the same line shifted it by
 * the difference in length; a column inside a pasted value points at its placeholder.
 */
export function originalColumn(
  replacements: readonly PlaceholderReplacement[],
  line: number,
  column: number,
): number {
  let shift = 0;
  for (const r of replacements) {
    if (r.line !== line) continue;
    const start = r.column + shift;
    const end = start + r.value.length;
    if (column < start) break;
    if (column < end) return r.column;
    shift += r.value.length - r.placeholder.length;
  }
  return column - shift;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}
