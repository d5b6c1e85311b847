import type { CompletionSpec } from './completion-spec.js';
import { completionTable, TABLE_KEYS, type TableRow } from './completion-table.js';
import { scriptHeader, shellFunctionName } from './script-header.js';

/**
 * A fish completion script for the program: one function walks the tokens before the
 * cursor to the command being typed and prints its subcommands or options (with
 * descriptions) or the fixed values at the cursor; where anything goes it prints
 * nothing and says so, and fish completes files instead.
 */
export function fishCompletion(spec: CompletionSpec): string {
  const fn = `_${shellFunctionName(spec.program)}`;
  const data = completionTable(spec).map((row) => `        case ${casePattern(row)}\n            printf '%s\\n' ${entries(row).join(' ')}`);
  return `${scriptHeader(spec.program, 'fish', [
    `${spec.program} completion fish | source`,
    `${spec.program} completion fish > ~/.config/fish/completions/${spec.program}.fish`,
  ])}

# The entries for a key, "name<TAB>description" for subcommands and options; fails
# when there are none. ${TABLE_KEYS}
function ${fn}_data
    switch $argv[1]
${data.join('\n')}
        case '*'
            return 1
    end
end

# Whether the flag $argv[2] takes a value in the command at path $argv[1].
function ${fn}_takes_value
    contains -- $argv[2] (${fn}_data "takes|$argv[1]")
end

# Prints the candidates at the cursor; with "files", succeeds only where files go instead.
function ${fn}_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l at ''
    set -l positional 0
    set -l i 2
    while test $i -le (count $tokens)
        set -l word $tokens[$i]
        if string match -q -- '-*=*' $word
        else if string match -q -- '-*' $word
            ${fn}_takes_value "$at" $word; and set i (math $i + 1)
        else if contains -- $word (${fn}_data "sub|$at" | string replace -r '\\t.*' '')
            test -n "$at"; and set at "$at $word"; or set at $word
            set positional 0
        else
            set positional (math $positional + 1)
        end
        set i (math $i + 1)
    end
    set -l key
    set -l prefix ''
    if string match -q -- '-*=*' $cur
        set -l option (string replace -r '=.*' '' -- $cur)
        set prefix "$option="
        set key "values|$at|$option"
    else if test (count $tokens) -gt 1; and ${fn}_takes_value "$at" $tokens[-1]
        set key "values|$at|$tokens[-1]"
    else if string match -q -- '-*' $cur
        set key "opts|$at"
    else if ${fn}_data "sub|$at" >/dev/null
        set key "sub|$at"
    else
        set key "arg|$at|$positional"
    end
    set -l found (${fn}_data $key)
    set -l missing $status
    if test "$argv[1]" = files
        test $missing -ne 0
        return
    end
    test $missing -eq 0; and printf "$prefix%s\\n" $found
end

complete -c ${spec.program} -f -n 'not ${fn}_complete files' -a '(${fn}_complete)'
complete -c ${spec.program} -F -n '${fn}_complete files'
`;
}

/** Single-quoted fish words: "name<TAB>description" for subcommands and options, plain names for values. */
function entries(row: TableRow): string[] {
  const described = row.key.startsWith('sub|') || row.key.startsWith('opts|');
  return row.words.map((w) => (described ? `${fishQuoted(w.name)}\\t${fishQuoted(w.description)}` : fishQuoted(w.name)));
}

/** fish single quotes: only \\ and ' are escaped inside. */
function fishQuoted(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** In fish a quoted * in a case is still a wildcard. */
function casePattern(row: TableRow): string {
  return row.rest ? `'${row.key.slice(0, row.key.lastIndexOf('|') + 1)}*'` : `'${row.key}'`;
}
