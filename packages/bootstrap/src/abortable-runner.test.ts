import type { CommandResult, CommandRunner, CommandSpec } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { abortableRunner, trackCommands } from './abortable-runner.js';

/** A runner whose commands end when the test says: each run waits for its own settle(). */
function heldRunner() {
  const held: Array<{ spec: CommandSpec; settle: (ok: boolean) => void }> = [];
  const runner: CommandRunner = {
    run: (spec) =>
      new Promise<CommandResult>((resolve, reject) => {
        held.push({
          spec,
          settle: (ok) => (ok ? resolve({ command: spec.command, args: spec.args ?? [], exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 0 }) : reject(new Error('stopped'))),
        });
      }),
  };
  return { runner, held };
}

describe('abortableRunner', () => {
  it("hands the pipeline's signal to a command that has none, and keeps a command's own", async () => {
    const { runner, held } = heldRunner();
    const pipeline = new AbortController().signal;
    const own = new AbortController().signal;
    const abortable = abortableRunner(runner, pipeline);
    void abortable.run({ command: 'a' });
    void abortable.run({ command: 'b', signal: own });
    expect(held.map((h) => h.spec.signal)).toEqual([pipeline, own]);
  });
});

describe('trackCommands', () => {
  it('counts the commands running; idle() resolves once the last has settled, whether it succeeded or was stopped', async () => {
    const { runner, held } = heldRunner();
    const tracked = trackCommands(runner);
    expect(tracked.running()).toBe(0);
    expect(await tracked.idle()).toBe(true);

    const first = tracked.run({ command: 'minikube' });
    const second = tracked.run({ command: 'docker' }).catch((error: Error) => error.message);
    expect(tracked.running()).toBe(2);
    let idle: boolean | undefined;
    const waiting = tracked.idle().then((value) => {
      idle = value;
    });
    held[0]?.settle(true);
    await first;
    expect(tracked.running()).toBe(1);
    expect(idle).toBeUndefined();
    held[1]?.settle(false);
    expect(await second).toBe('stopped');
    await waiting;
    expect(idle).toBe(true);
    expect(tracked.running()).toBe(0);
  });

  it('idle(timeoutMs) gives up with false when a command outlasts it, and the command is still counted', async () => {
    const { runner, held } = heldRunner();
    const tracked = trackCommands(runner);
    const run = tracked.run({ command: 'kubectl' });
    expect(await tracked.idle(0)).toBe(false);
    expect(tracked.running()).toBe(1);
    held[0]?.settle(true);
    await run;
    expect(await tracked.idle(0)).toBe(true);
  });
});
