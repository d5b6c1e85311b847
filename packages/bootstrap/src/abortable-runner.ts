import type { CommandResult, CommandRunner, CommandSpec } from '@qed/core';

/** Hands the pipeline's abort signal to every command a step runs, so Ctrl-C kills them. */
export function abortableRunner(runner: CommandRunner, signal: AbortSignal): CommandRunner {
  return {
    run: (spec: CommandSpec): Promise<CommandResult> => runner.run(spec.signal ? spec : { ...spec, signal }),
  };
}

/** A runner that knows which of its commands are still running. */
export interface TrackedRunner extends CommandRunner {
  /** How many commands started through it have not finished. */
  running(): number;
  /**
   * Resolves true once no command is running (at once when none is), or false
   * when `timeoutMs` passes first. An aborted command has finished once the
   * runner's run() has settled, which it does after its process has exited and
   * its output has closed: after the kill of its process tree has landed
   * (SIGTERM to the tree, SIGKILL after the runner's grace).
   */
  idle(timeoutMs?: number): Promise<boolean>;
}

/**
 * Counts the commands run through `runner`. The abort that stops a step only
 * starts the kill of its commands' process trees (asynchronously: the process
 * table is read first, SIGKILL comes after a grace); the pipeline has moved on by
 * then. So whoever would end the process early (a second Ctrl-C) waits on
 * idle() first, or the commands' children outlive it.
 */
export function trackCommands(runner: CommandRunner): TrackedRunner {
  let running = 0;
  let wake: Array<() => void> = [];
  const finished = () => {
    running -= 1;
    if (running === 0) for (const resolve of wake.splice(0)) resolve();
  };
  return {
    run(spec: CommandSpec): Promise<CommandResult> {
      running += 1;
      let run: Promise<CommandResult>;
      try {
        run = runner.run(spec);
      } catch (error) {
        finished();
        throw error;
      }
      // Counted down before the caller hears of the result.
      return run.finally(finished);
    },
    running: () => running,
    idle(timeoutMs?: number): Promise<boolean> {
      if (running === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const onIdle = () => {
          clearTimeout(timer);
          resolve(true);
        };
        wake.push(onIdle);
        if (timeoutMs !== undefined) {
          timer = setTimeout(() => {
            wake = wake.filter((w) => w !== onIdle);
            resolve(false);
          }, timeoutMs);
        }
      });
    },
  };
}
