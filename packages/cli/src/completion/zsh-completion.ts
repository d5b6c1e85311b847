import type { CompletionSpec } from './completion-spec.js';
import { completionTable, shellDataFunction, TABLE_KEYS, type TableRow } from './completion-table.js';
import { scriptHeader, shellFunctionName } from './script-header.js';

/**
 * A zsh completion function for the program, with descriptions: subcommands and
 * options through _describe, fixed values through compadd, files (_files) where
 * anything goes. Works sourced (it registers itself with compdef) and from a file
 * named _PROGRAM on fpath (the #compdef line).
 */
export function zshCompletion(spec: CompletionSpec): string {
  const fn = shellFunctionName(spec.program);
  const data = shellDataFunction(fn, completionTable(spec), (row) => `reply=(${entries(row).join(' ')})`, 'reply=()');
  return `#compdef ${spec.program}
${scriptHeader(spec.program, 'zsh', [
  `source <(${spec.program} completion zsh)   # after compinit`,
  `${spec.program} completion zsh > ~/.zfunc/_${spec.program}   # with fpath=(~/.zfunc $fpath) before compinit`,
])}

# reply: the entries for a key, "name:description" for subcommands and options; fails
# when there are none. ${TABLE_KEYS}
${data}

# Whether the flag $2 takes a value in the command at path $1.
${fn}_takes_value() {
  local -a reply
  ${fn}_data "takes|$1" && (( \${reply[(Ie)$2]} ))
}

${fn}() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}" at='' word option=''
  local -i i positional=0
  local -a reply candidates
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if [[ $word == -*=* ]]; then
      continue
    elif [[ $word == -* ]]; then
      ${fn}_takes_value "$at" "$word" && i+=1
    elif ${fn}_data "sub|$at" && (( \${\${reply[@]%%:*}[(Ie)$word]} )); then
      at="\${at:+$at }$word"
      positional=0
    else
      positional+=1
    fi
  done
  if [[ $cur == -*=* ]]; then
    option="\${cur%%=*}"
    compset -P '*='
  elif [[ $prev == -* ]] && ${fn}_takes_value "$at" "$prev"; then
    option="$prev"
  fi
  if [[ -n $option ]]; then
    if ${fn}_data "values|$at|$option"; then compadd -- "\${reply[@]}"; else _files; fi
  elif [[ $cur == -* ]]; then
    ${fn}_data "opts|$at" && candidates=("\${reply[@]}") && _describe -t options option candidates
  elif ${fn}_data "sub|$at"; then
    candidates=("\${reply[@]}")
    _describe -t commands command candidates
  elif ${fn}_data "arg|$at|$positional"; then
    compadd -- "\${reply[@]}"
  else
    _files
  fi
}

if [[ "\${funcstack[1]}" == ${fn} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${spec.program}
fi
`;
}

/** Subcommands and options as 'name:description' (single-quoted), values as plain words. */
function entries(row: TableRow): string[] {
  const described = row.key.startsWith('sub|') || row.key.startsWith('opts|');
  return row.words.map((w) => (described ? singleQuoted(`${w.name.replaceAll(':', '\\:')}:${w.description}`) : w.name));
}

function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
