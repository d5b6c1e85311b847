import type { Argument, Command, Option } from 'commander';

/**
 * What a shell needs to complete the command line, read from the commander tree:
 * every command by its path, with its subcommands, options and the fixed values its
 * options and arguments take. Each shell's script embeds it as data.
 */
export interface CompletionSpec {
  /** The program's name, as the shell is asked to complete it. */
  program: string;
  /** The root first (path []), then each command before its subcommands. */
  commands: CommandCompletion[];
}

export interface CommandCompletion {
  /** Names from the root down: ['manifests', 'render']; [] for the root. */
  path: string[];
  subcommands: Candidate[];
  options: OptionCompletion[];
  /**
   * The fixed values of each positional argument, in order (null where anything goes:
   * a file, a name). Empty for a command with subcommands: those are what it completes.
   */
  positionals: Array<readonly string[] | null>;
  /** The last positional repeats (`[paths...]`). */
  variadic: boolean;
}

export interface OptionCompletion {
  /** Every spelling: ['-p', '--profile']. */
  flags: string[];
  description: string;
  takesValue: boolean;
  /** Fixed values of its value; null where anything goes. */
  values: readonly string[] | null;
}

export interface Candidate {
  name: string;
  description: string;
}

/**
 * Values options and arguments take that commander does not hold as choices (the
 * commands check them with their own errors): by command path ('' for the root,
 * 'manifests render'), then by long flag or argument name.
 */
export type FixedValues = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export function describeProgram(program: Command, fixed: FixedValues = {}): CompletionSpec {
  const commands: CommandCompletion[] = [];
  const visit = (command: Command, path: string[], helpTopics?: string[]) => {
    const help = command.createHelp();
    const subcommands = help.visibleCommands(command);
    const own = fixed[path.join(' ')] ?? {};
    // Hidden options too (the global ones are hidden in a command's help but taken
    // everywhere), and the help option, which commander keeps apart from the others.
    const options = [...command.options, ...help.visibleOptions(command).filter((o) => !command.options.includes(o))];
    const leaf = subcommands.length === 0;
    commands.push({
      path,
      subcommands: subcommands.flatMap((sub) => [sub.name(), ...sub.aliases()].map((name) => ({ name, description: shortDescription(sub.description()) }))),
      options: options.map((option) => describeOption(option, own)),
      // commander's own `help [command]` takes the names of its siblings.
      positionals: !leaf ? [] : helpTopics ? [helpTopics] : command.registeredArguments.map((argument) => argumentValues(argument, own)),
      variadic: leaf && command.registeredArguments.at(-1)?.variadic === true,
    });
    const names = command.commands.map((c) => c.name());
    for (const sub of subcommands) visit(sub, [...path, sub.name()], command.commands.includes(sub) ? undefined : names);
  };
  visit(program, []);
  return { program: program.name(), commands };
}

function describeOption(option: Option, fixed: Readonly<Record<string, readonly string[]>>): OptionCompletion {
  const takesValue = option.required || option.optional;
  const values = option.argChoices ?? (option.long ? fixed[option.long] : undefined) ?? null;
  return {
    flags: [option.short, option.long].filter((flag): flag is string => flag !== undefined),
    description: shortDescription(option.description),
    takesValue,
    values: takesValue ? values : null,
  };
}

function argumentValues(argument: Argument, fixed: Readonly<Record<string, readonly string[]>>): readonly string[] | null {
  return argument.argChoices ?? fixed[argument.name()] ?? null;
}

/** A description fit for one line of a completion menu: without its parentheses, up to a semicolon, at most 80 characters. */
export function shortDescription(text: string): string {
  const cut = (text.replace(/\s*\([^()]*\)/g, '').split('; ')[0] ?? '').replace(/\s+/g, ' ').trim();
  return cut.length > 80 ? `${cut.slice(0, 79).trimEnd()}…` : cut;
}

/** The spec's commands by path ('' for the root). */
export function commandsByPath(spec: CompletionSpec): Map<string, CommandCompletion> {
  return new Map(spec.commands.map((c) => [c.path.join(' '), c]));
}
