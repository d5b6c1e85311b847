import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';
import { completionScript } from './index.js';
import { runShell, scriptFile, shellInstalled } from './shell-test-support.js';

/**
 * A real interactive zsh in a pseudo-terminal (zsh/zpty), its completion system
 * loaded (compinit) and the script sourced, as a user's .zshrc does. Each probe is
 * typed at a fresh prompt with a TAB: a plain one is then run, and a stand-in
 * qed-bootstrap prints the words the line was completed to; a `list:` one returns
 * what zsh listed under it (the prompt is drawn again below a list), then the line is
 * cleared. Every read waits for what zsh prints (the prompt, the stand-in's words),
 * never for a time; a key is sent only once zsh waits for it, since zsh lists nothing
 * while keys are waiting.
 */
const DRIVER = String.raw`
zmodload zsh/zpty || exit 3
script=$1; shift
zpty z zsh -f -i
zpty -w z "PS1='RE''ADY> '; setopt no_always_last_prompt; autoload -Uz compinit && compinit -u -D && source ${'$'}{(q)script} && qed-bootstrap() { print -r -- \"ARGS\"\"<\$*>\" }"
zpty -r z out '*READY> *'
for probe in "$@"; do
  if [[ $probe == list:* ]]; then
    zpty -w -n z "qed-bootstrap ${'$'}{probe#list:}"$'\t'
    zpty -r z out '*READY> *'
    zpty -w -n z $'\C-u\n'
    zpty -r z cleared '*READY> *'
  else
    zpty -w -n z "qed-bootstrap $probe"$'\t\n'
    zpty -r z out '*ARGS<*>*READY> *'
    out=${'$'}{${'$'}{out##*ARGS<}%%>*}
  fi
  print -r -- "$out"
  print -r -- '--8<--'
done
zpty -d z
`;

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what is removed
const TERMINAL_CODES = /\u001b\[[0-9;?]*[A-Za-z]|[\r\u0007]/g;

let script: string;
async function typed(...probes: string[]): Promise<string[]> {
  // A terminal zsh knows how to draw a list on, wide enough for a line of description.
  const result = await runShell('zsh', ['-f', '-c', DRIVER, 'zsh', script, ...probes], { TERM: 'xterm', COLUMNS: '120', LINES: '40' });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return result.stdout
    .split('--8<--\n')
    .slice(0, probes.length)
    .map((out) => out.replace(TERMINAL_CODES, '').trim());
}

const zsh = await shellInstalled('zsh');

describe.skipIf(!zsh)(`zsh completion${zsh ? '' : ' (skipped: zsh is not installed)'}`, () => {
  beforeAll(async () => {
    script = await scriptFile('zsh');
  });

  it('a TAB completes the word to the one candidate: commands, nested ones, actions, options and their values', async () => {
    expect(await typed('clu', 'manifests r', 'cluster u', 'cluster --dri', 'cluster --driver kv', '--json --from dock', '--profile=az', 'completion fi')).toEqual([
      'cluster',
      'manifests render',
      'cluster up',
      'cluster --driver',
      'cluster --driver kvm2',
      '--json --from docker-config',
      '--profile=azure',
      'completion fish',
    ]);
  });

  it('several candidates are listed: `cluster ` its actions, `manifests ` its subcommands with their descriptions', async () => {
    const [cluster, manifests] = await typed('list:cluster ', 'list:manifests ');
    expect(cluster).toMatch(/delete\s+status\s+stop\s+up/);
    expect(manifests).toMatch(/render\s+-- write the QED manifests for a profile/);
    expect(manifests).toMatch(/validate\s+-- check every object against the Kubernetes schema/);
  });
});

describe('the zsh script', () => {
  it('works from fpath (#compdef) and sourced (compdef)', () => {
    const text = completionScript(buildProgram(), 'zsh');
    expect(text.split('\n')[0]).toBe('#compdef qed-bootstrap');
    expect(text).toContain('  compdef _qed_bootstrap qed-bootstrap\n');
  });
});
