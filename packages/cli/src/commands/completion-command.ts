import type { CliContext } from '../cli-context.js';
import { type CompletionShell, completionScript } from '../completion/index.js';
import { buildProgram } from '../program.js';

/** `qed-bootstrap completion bash|zsh|fish|powershell`: the shell's completion script on stdout (commander checked the shell). */
export async function run(_ctx: CliContext, _options: unknown, args: string[]): Promise<number> {
  process.stdout.write(completionScript(buildProgram(), args[0] as CompletionShell));
  return 0;
}
