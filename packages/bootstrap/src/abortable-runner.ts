import type { CommandResult, CommandRunner, CommandSpec } from '@qed/core';

/** Hands the pipeline's abort signal to every command a step runs, so Ctrl-C kills them. */
export function abortableRunner(runner: CommandRunner, signal: AbortSignal): CommandRunner {
  return {
    run: (spec: CommandSpec): Promise<CommandResult> => runner.run(spec.signal ? spec : { ...spec, signal }),
  };
}
