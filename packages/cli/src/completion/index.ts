import type { Command } from 'commander';
import { bashCompletion } from './bash-completion.js';
import { describeProgram } from './completion-spec.js';
import { FIXED_VALUES } from './completion-values.js';
import { fishCompletion } from './fish-completion.js';
import { powershellCompletion } from './powershell-completion.js';
import { zshCompletion } from './zsh-completion.js';

/** A script writer per shell; program.ts offers the same shells as the argument's choices (a test keeps them one list). */
export const GENERATORS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion, powershell: powershellCompletion } as const;
export type CompletionShell = keyof typeof GENERATORS;

/** The completion script for one shell, generated from the program's commands. */
export function completionScript(program: Command, shell: CompletionShell): string {
  return GENERATORS[shell](describeProgram(program, FIXED_VALUES));
}
