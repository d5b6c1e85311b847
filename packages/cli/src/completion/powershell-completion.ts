import type { CompletionSpec } from './completion-spec.js';
import { completionTable, TABLE_KEYS } from './completion-table.js';
import { scriptHeader } from './script-header.js';

/**
 * A PowerShell argument completer for the program (a native command): the same table
 * and walk as the other shells, with descriptions as tooltips. Where anything goes it
 * returns nothing, and PowerShell completes paths.
 */
export function powershellCompletion(spec: CompletionSpec): string {
  const rows = completionTable(spec);
  const table = rows.map((row) => {
    // A PowerShell hashtable's keys ignore case: two words differing only in case would clash.
    const lower = row.words.map((w) => w.name.toLowerCase());
    if (new Set(lower).size !== lower.length) throw new Error(`completion: ${row.key} holds words that differ only in case, which PowerShell cannot tell apart`);
    const entries = row.words.map((w) => `${quoted(w.name)} = ${quoted(w.description || w.name)}`);
    return `        ${quoted(row.key)} = [ordered]@{ ${entries.join('; ')} }`;
  });
  const repeating = rows.filter((row) => row.rest).map((row) => {
    const at = row.key.lastIndexOf('|') + 1;
    return `${quoted(row.key.slice(0, at))} = ${row.key.slice(at)}`;
  });
  return `${scriptHeader(spec.program, 'powershell', [
    `${spec.program} completion powershell | Out-String | Invoke-Expression`,
    `${spec.program} completion powershell >> $PROFILE`,
  ])}
Register-ArgumentCompleter -Native -CommandName ${quoted(spec.program)} -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    # The words for a key, each with its description. ${TABLE_KEYS}
    $table = @{
${table.join('\n')}
    }
    # Positionals that repeat: from this position on, every one takes the same words.
    $repeating = @{ ${repeating.join('; ')} }
    $takesValue = { param($at, $flag) $table.Contains("takes|$at") -and $table["takes|$at"].Contains($flag) }

    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.StartOffset -lt $cursorPosition } | ForEach-Object { $_.Extent.Text })
    if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = @($words | Select-Object -First ($words.Count - 1)) }
    $at = ''
    $positional = 0
    for ($i = 1; $i -lt $words.Count; $i++) {
        $word = $words[$i]
        if ($word -like '-*=*') { continue }
        if ($word -like '-*') {
            if (& $takesValue $at $word) { $i++ }
        } elseif ($table.Contains("sub|$at") -and $table["sub|$at"].Contains($word)) {
            $at = if ($at) { "$at $word" } else { $word }
            $positional = 0
        } else {
            $positional++
        }
    }
    $prefix = ''
    $prev = if ($words.Count -gt 1) { $words[-1] } else { '' }
    if ($wordToComplete -like '-*=*') {
        $option = $wordToComplete.Substring(0, $wordToComplete.IndexOf('='))
        $prefix = "$option="
        $key = "values|$at|$option"
    } elseif ($prev -like '-*' -and (& $takesValue $at $prev)) {
        $key = "values|$at|$prev"
    } elseif ($wordToComplete -like '-*') {
        $key = "opts|$at"
    } elseif ($table.Contains("sub|$at")) {
        $key = "sub|$at"
    } else {
        $key = "arg|$at|$positional"
        $open = "arg|$at|"
        if (-not $table.Contains($key) -and $repeating.Contains($open) -and $positional -ge $repeating[$open]) { $key = "$open$($repeating[$open])" }
    }
    if (-not $table.Contains($key)) { return }
    $type = if ($key.StartsWith('opts|')) { 'ParameterName' } else { 'ParameterValue' }
    foreach ($entry in $table[$key].GetEnumerator()) {
        $text = "$prefix$($entry.Key)"
        if ($text -like "$wordToComplete*") {
            [System.Management.Automation.CompletionResult]::new($text, $entry.Key, $type, $entry.Value)
        }
    }
}
`;
}

/** A PowerShell single-quoted string: a quote is doubled inside. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
