import { Argument, Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';
import { commandsByPath, describeProgram, shortDescription } from './completion-spec.js';
import { FIXED_VALUES } from './completion-values.js';
import { GENERATORS } from './index.js';

describe('describeProgram', () => {
  it('reads nested commands, hidden options, the help option, choices and arguments from a commander tree', () => {
    const program = new Command('tool').option('--json', 'json');
    const group = program.command('group').description('a group (of things)');
    group.command('leaf').argument('[name]').addArgument(new Argument('[x]').choices(['a', 'b'])).argument('[paths...]').option('-k, --kind <kind>', 'the kind');
    group.command('other').alias('o').addArgument(new Argument('<shell>').choices(['sh', 'fish']));
    const spec = describeProgram(program, { 'group leaf': { '--kind': ['one', 'two'] } });
    const byPath = commandsByPath(spec);
    expect([...byPath.keys()]).toEqual(['', 'group', 'group leaf', 'group other', 'group help', 'help']);
    expect(byPath.get('')?.subcommands).toEqual([
      { name: 'group', description: 'a group' },
      { name: 'help', description: 'display help for command' },
    ]);
    expect(byPath.get('group')?.subcommands.map((s) => s.name)).toEqual(['leaf', 'other', 'o', 'help']);
    expect(byPath.get('group leaf')).toMatchObject({
      options: [
        { flags: ['-k', '--kind'], takesValue: true, values: ['one', 'two'] },
        { flags: ['-h', '--help'], takesValue: false, values: null },
      ],
      positionals: [null, ['a', 'b'], null],
      variadic: true,
    });
    expect(byPath.get('group other')?.positionals).toEqual([['sh', 'fish']]);
    // commander's own help command takes its siblings' names.
    expect(byPath.get('group help')?.positionals).toEqual([['leaf', 'other']]);
  });

  it('the qed-bootstrap tree: nested commands, the global options everywhere, fixed values where there are some', () => {
    const byPath = commandsByPath(describeProgram(buildProgram(), FIXED_VALUES));
    expect(byPath.get('')?.subcommands.map((s) => s.name)).toEqual(expect.arrayContaining(['doctor', 'cluster', 'manifests', 'init', 'completion']));
    expect(byPath.get('manifests')?.subcommands.map((s) => s.name)).toEqual(['validate', 'render', 'migrate', 'help']);
    expect(byPath.get('cluster')?.positionals).toEqual([['up', 'status', 'stop', 'delete']]);
    expect(byPath.get('completion')?.positionals).toEqual([Object.keys(GENERATORS)]);
    expect(byPath.get('manifests validate')).toMatchObject({ positionals: [null], variadic: true });
    const option = (at: string, flag: string) => byPath.get(at)?.options.find((o) => o.flags.includes(flag));
    expect(option('', '--profile')?.values).toEqual(['local', 'aws', 'azure']);
    expect(option('cluster', '--profile')).toMatchObject({ flags: ['-p', '--profile'], values: null });
    expect(option('', '--from')?.values).toContain('docker-config');
    for (const command of byPath.values()) {
      // commander's help command takes none of them.
      if (command.path.at(-1) === 'help') continue;
      expect(option(command.path.join(' '), '--json'), command.path.join(' ')).toMatchObject({ takesValue: false });
      expect(option(command.path.join(' '), '--config'), command.path.join(' ')).toMatchObject({ flags: ['-c', '--config'], takesValue: true });
    }
  });

  it('every fixed value names a command and an option or argument the program has', () => {
    const program = buildProgram();
    const find = (at: string) => at.split(' ').filter(Boolean).reduce<Command | undefined>((c, name) => c?.commands.find((s) => s.name() === name), program);
    for (const [at, values] of Object.entries(FIXED_VALUES)) {
      const command = find(at);
      expect(command, `command "${at}"`).toBeDefined();
      for (const key of Object.keys(values)) {
        const known = key.startsWith('-') ? command?.options.some((o) => o.long === key) : command?.registeredArguments.some((a) => a.name() === key);
        expect(known, `${at} ${key}`).toBe(true);
      }
    }
  });
});

describe('shortDescription', () => {
  it.each([
    ['minikube profile (default: cluster.profile in qed.config.yaml)', 'minikube profile'],
    ['minikube (create or start the cluster) or context:NAME (an existing kube context)', 'minikube or context:NAME'],
    ['compose file; repeat to merge several, as docker compose does (default: ./compose.yaml, ./docker-compose.yml …)', 'compose file'],
    ['a'.repeat(90), `${'a'.repeat(79)}…`],
  ])('%s', (text, short) => {
    expect(shortDescription(text)).toBe(short);
  });
});
