import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, commandOptions, misplacedBootstrapOptions } from './program.js';

/** Parses argv with every command's action replaced by one that records what the command would receive. */
async function parse(argv: string[]) {
  const program = buildProgram();
  let seen: { command: string; options: Record<string, unknown>; misplaced: ReturnType<typeof misplacedBootstrapOptions> } | undefined;
  const capture = (command: Command) => {
    command.action((...received: unknown[]) => {
      const invoked = received[received.length - 1] as Command;
      seen = { command: invoked.name(), options: commandOptions(invoked), misplaced: misplacedBootstrapOptions(invoked) };
    });
    for (const sub of command.commands) capture(sub);
  };
  capture(program);
  program.exitOverride();
  await program.parseAsync(argv, { from: 'user' });
  if (!seen) throw new Error('no action ran');
  return seen;
}

describe('options: global ones anywhere, the bootstrap\'s only before any command, a command\'s own after it', () => {
  it('cluster up -p aws: the minikube profile, not the manifest profile', async () => {
    const { command, options, misplaced } = await parse(['cluster', 'up', '-p', 'aws', '--dry-run']);
    expect(command).toBe('cluster');
    expect(options).toMatchObject({ profile: 'aws', dryRun: true });
    expect(misplaced).toBeNull();
  });

  it('--profile aws cluster up is refused, naming the option and where the cluster\'s own goes', async () => {
    const { options, misplaced } = await parse(['--profile', 'aws', 'cluster', 'up']);
    expect(options.profile).toBeUndefined();
    expect(misplaced?.message).toBe('--profile before `cluster` is an option of the bootstrap itself (qed-bootstrap with no command), not of cluster');
    expect(misplaced?.hint).toContain('write it after the command: qed-bootstrap cluster --profile …');
  });

  it('a bootstrap option the command has no counterpart for is refused too', async () => {
    const { misplaced } = await parse(['--only', 'redis', 'doctor']);
    expect(misplaced?.message).toMatch(/^--only before `doctor` is an option of the bootstrap itself/);
    expect(misplaced?.hint).toBe('Leave it out, or run the bootstrap: qed-bootstrap --only ….');
  });

  it.each([
    [['--json', 'doctor']],
    [['doctor', '--json']],
    [['--json', 'manifests', 'validate']],
    [['manifests', '--json', 'validate']],
    [['manifests', 'validate', '--json']],
  ])('%j: --json reaches the command wherever it is written', async (argv) => {
    const { options, misplaced } = await parse(argv);
    expect(options.json).toBe(true);
    expect(misplaced).toBeNull();
  });

  it('--no-color before the command is not undone by the command\'s own default', async () => {
    expect((await parse(['--no-color', 'doctor'])).options.color).toBe(false);
    expect((await parse(['doctor'])).options.color).toBe(true);
  });

  it('the root keeps its bootstrap options', async () => {
    const { command, options } = await parse(['--profile', 'aws', '--only', 'redis', '--dry-run', '--yes']);
    expect(command).toBe('qed-bootstrap');
    expect(options).toMatchObject({ profile: 'aws', only: 'redis', dryRun: true, yes: true });
  });

  it('apply --namespace and render --profile are the commands\' own', async () => {
    expect((await parse(['apply', '--namespace', 'dev'])).options.namespace).toBe('dev');
    expect((await parse(['manifests', 'render', '--profile', 'azure'])).options.profile).toBe('azure');
  });
});
