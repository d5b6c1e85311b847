import type { CompletionSpec } from './completion-spec.js';
import { completionTable, shellDataFunction, TABLE_KEYS, wordList } from './completion-table.js';
import { scriptHeader, shellFunctionName } from './script-header.js';

/**
 * A bash completion script for the program (bash 3.2, macOS's, and later): a
 * function that reads COMP_WORDS / COMP_CWORD, walks the words to the command being
 * typed, and completes its subcommands, options, or the fixed values of the option or
 * argument at the cursor. Where anything goes, bash's own file completion takes over.
 */
export function bashCompletion(spec: CompletionSpec): string {
  const fn = shellFunctionName(spec.program);
  const data = shellDataFunction(fn, completionTable(spec), (row) => `REPLY='${wordList(row)}'`, "REPLY=''");
  return `${scriptHeader(spec.program, 'bash', [
    `source <(${spec.program} completion bash)`,
    `${spec.program} completion bash > ~/.local/share/bash-completion/completions/${spec.program}`,
  ])}

# REPLY: the words for a key; fails when there are none.
# ${TABLE_KEYS}
${data}

# Whether the flag $2 takes a value in the command at path $1.
${fn}_takes_value() {
  ${fn}_data "takes|$1" && [[ " $REPLY " == *" $2 "* ]]
}

${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local at='' positional=0 i word option=''
  COMPREPLY=()
  # bash splits --flag=value at '=' (COMP_WORDBREAKS): a lone '=' joins the two.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ $word == = ]]; then
      i=$((i + 1))
    elif [[ $word == -* ]]; then
      if ${fn}_takes_value "$at" "$word" && [[ "\${COMP_WORDS[i+1]}" != = ]]; then i=$((i + 1)); fi
    elif ${fn}_data "sub|$at" && [[ " $REPLY " == *" $word "* ]]; then
      at="\${at:+$at }$word"
      positional=0
    else
      positional=$((positional + 1))
    fi
  done
  if [[ $cur == = ]]; then
    option="$prev"
    cur=''
  elif [[ $prev == = && COMP_CWORD -ge 2 ]]; then
    option="\${COMP_WORDS[COMP_CWORD-2]}"
  elif [[ $prev == -* ]] && ${fn}_takes_value "$at" "$prev"; then
    option="$prev"
  fi
  if [[ -n $option ]]; then
    ${fn}_data "values|$at|$option" || return 0
  elif [[ $cur == -* ]]; then
    ${fn}_data "opts|$at"
  elif ! ${fn}_data "sub|$at"; then
    ${fn}_data "arg|$at|$positional" || return 0
  fi
  COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
}

complete -o default -F ${fn} ${spec.program}
`;
}
