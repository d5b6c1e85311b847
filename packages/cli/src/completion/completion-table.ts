import type { Candidate, CompletionSpec } from './completion-spec.js';

/**
 * The spec as rows of a lookup table, the shape every shell's script embeds. Keys:
 * `sub|PATH` subcommands, `opts|PATH` option flags, `takes|PATH` the flags that take
 * a value, `values|PATH|FLAG` a flag's fixed values, `arg|PATH|N` the Nth positional's
 * fixed values (`rest`: that position and every later one). PATH is the command path
 * joined by spaces, '' for the root.
 */
export interface TableRow {
  key: string;
  rest?: true;
  words: Candidate[];
}

/** Names the scripts write unquoted or inside single quotes: letters, digits and . _ : + - only. */
const SAFE_WORD = /^[A-Za-z0-9_.:+-]+$/;

export function completionTable(spec: CompletionSpec): TableRow[] {
  const rows: TableRow[] = [];
  for (const command of spec.commands) {
    const at = command.path.join(' ');
    if (command.subcommands.length) rows.push({ key: `sub|${at}`, words: command.subcommands });
    const flags = command.options.flatMap((o) => o.flags.map((name) => ({ name, description: o.description })));
    if (flags.length) rows.push({ key: `opts|${at}`, words: flags });
    const takes = command.options.filter((o) => o.takesValue);
    if (takes.length) rows.push({ key: `takes|${at}`, words: takes.flatMap((o) => o.flags.map((name) => ({ name, description: '' }))) });
    for (const option of takes) {
      if (!option.values) continue;
      const values = option.values.map((name) => ({ name, description: '' }));
      for (const flag of option.flags) rows.push({ key: `values|${at}|${flag}`, words: values });
    }
    command.positionals.forEach((values, index) => {
      if (!values) return;
      const last = index === command.positionals.length - 1;
      rows.push({ key: `arg|${at}|${index}`, ...(last && command.variadic ? { rest: true as const } : {}), words: values.map((name) => ({ name, description: '' })) });
    });
  }
  for (const row of rows) {
    for (const part of [...row.key.split('|').slice(1).join(' ').split(' ').filter(Boolean), ...row.words.map((w) => w.name)]) {
      if (!SAFE_WORD.test(part)) throw new Error(`completion: ${JSON.stringify(part)} (in ${row.key}) is not a plain word the completion scripts can hold`);
    }
  }
  return rows;
}

/** The words of a row, space-separated. */
export function wordList(row: TableRow): string {
  return row.words.map((w) => w.name).join(' ');
}

/** A row's key as a POSIX-shell case pattern (bash, zsh): quoted, open-ended for a repeating positional. */
function casePattern(row: TableRow): string {
  if (!row.rest) return `'${row.key}'`;
  return `'${row.key.slice(0, row.key.lastIndexOf('|') + 1)}'*`;
}

/**
 * The data function of a bash or zsh script: `FN_data KEY` sets the words of that
 * row (`assign` writes the assignment), or clears them (`none`) and fails when there
 * is no such row.
 */
export function shellDataFunction(fn: string, rows: readonly TableRow[], assign: (row: TableRow) => string, none: string): string {
  return [
    `${fn}_data() {`,
    '  case "$1" in',
    ...rows.map((row) => `    ${casePattern(row)}) ${assign(row)} ;;`),
    `    *) ${none}; return 1 ;;`,
    '  esac',
    '}',
  ].join('\n');
}

/** What the keys of the scripts' tables mean, for a comment in each script. */
export const TABLE_KEYS = "keys: sub|PATH subcommands, opts|PATH options, takes|PATH the options that take a value, values|PATH|FLAG an option's fixed values, arg|PATH|N the Nth argument's (PATH: the command's words; empty at the top)";
