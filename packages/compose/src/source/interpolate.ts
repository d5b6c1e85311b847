/**
 * Variable interpolation as docker compose does it, over the values (never the keys)
 * of a parsed compose file:
 *
 *   $$            a literal $
 *   $VAR ${VAR}   the value, or "" with a warning when VAR is unset
 *   ${VAR:-d}     d when VAR is unset or empty      ${VAR-d}   d when VAR is unset
 *   ${VAR:?msg}   an error when VAR is unset/empty  ${VAR?msg} an error when unset
 *   ${VAR:+r}     r when VAR is set and non-empty   ${VAR+r}   r when VAR is set
 *
 * Defaults and messages may themselves contain ${...} (compose v2 allows nesting).
 */
export type Lookup = (name: string) => string | undefined;

export interface InterpolationResult {
  value: string;
  /** Variables used without a default while unset; each became "". */
  unset: string[];
}

export class InterpolationError extends Error {}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

export function interpolateString(text: string, lookup: Lookup): InterpolationResult {
  const unset: string[] = [];
  const value = expand(text, lookup, unset);
  return { value, unset };
}

function expand(text: string, lookup: Lookup, unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = matchingBrace(text, dollar + 2);
      if (close < 0) throw new InterpolationError(`invalid interpolation format in "${text}": "\${" is never closed`);
      out += substitute(text.slice(dollar + 2, close), text, lookup, unset);
      i = close + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name) {
        out += variableValue(name, lookup, unset);
        i = dollar + 1 + name.length;
      } else {
        // A lone $ (before a space, a digit, the end …) is kept, as compose keeps it.
        out += '$';
        i = dollar + 1;
      }
    }
  }
  return out;
}

/** Index of the } closing a ${ whose body starts at `from`, counting nested ${ … }. */
function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function substitute(body: string, whole: string, lookup: Lookup, unset: string[]): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new InterpolationError(`invalid interpolation format in "${whole}": "\${${body}}" does not start with a variable name`);
  const rest = body.slice(name.length);
  if (rest === '') return variableValue(name, lookup, unset);
  const operator = /^(:?[-?+])/.exec(rest)?.[1];
  if (!operator) throw new InterpolationError(`invalid interpolation format in "${whole}": unexpected "${rest}" after \${${name}`);
  const argument = rest.slice(operator.length);
  const raw = lookup(name);
  const unsetOrEmpty = operator.startsWith(':') ? raw === undefined || raw === '' : raw === undefined;
  switch (operator.replace(':', '')) {
    case '-':
      return unsetOrEmpty ? expand(argument, lookup, unset) : (raw ?? '');
    case '+':
      return unsetOrEmpty ? '' : expand(argument, lookup, unset);
    default: {
      if (!unsetOrEmpty) return raw ?? '';
      const message = expand(argument, lookup, unset);
      throw new InterpolationError(
        `required variable ${name} is ${raw === undefined ? 'unset' : 'empty'}${message ? `: ${message}` : ''}`,
      );
    }
  }
}

function variableValue(name: string, lookup: Lookup, unset: string[]): string {
  const raw = lookup(name);
  if (raw === undefined) {
    unset.push(name);
    return '';
  }
  return raw;
}
