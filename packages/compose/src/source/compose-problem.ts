import { QedError } from '@qed/core';

export const COMPOSE_DOCS = 'docs/compose.md';

/** A place in a compose file, 1-based as editors show it. */
export interface Location {
  file: string;
  line: number;
  column: number;
}

/**
 * Something wrong in the input, located for the user: the file, line and column,
 * and the key path as compose writes it (services.qed_django.ports[1]).
 */
export interface ComposeProblem extends Location {
  key: string;
  message: string;
}

/** Something converted with a caveat or not converted at all; never silent. */
export interface ComposeWarning extends Location {
  /** The compose service it concerns, when it concerns one. */
  service?: string;
  key: string;
  message: string;
}

export type KeyPath = ReadonlyArray<string | number>;

/** services.qed_django.ports[1] */
export function formatKeyPath(path: KeyPath): string {
  return path.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

export function formatLocated(p: Location & { key: string; message: string }): string {
  return `${p.file}:${p.line}:${p.column} ${p.key || '(top level)'}: ${p.message}`;
}

/** Every problem at once, so a user fixes a file in one pass. */
export function composeInvalid(problems: readonly ComposeProblem[]): QedError {
  const lines = problems.map(formatLocated);
  return new QedError(
    'COMPOSE_INVALID',
    problems.length === 1 ? (lines[0] ?? 'invalid compose file') : `${problems.length} problems in the compose files:\n  ${lines.join('\n  ')}`,
    {
      hint: `Fix the key named above (file:line:column); the keys convert understands are listed in ${COMPOSE_DOCS}.`,
      docsUrl: COMPOSE_DOCS,
      data: { problems },
    },
  );
}
