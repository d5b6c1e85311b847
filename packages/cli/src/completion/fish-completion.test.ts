import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runShell, scriptFile, shellInstalled } from './shell-test-support.js';

/** The script sourced into a real fish, asked as fish asks on a TAB: `complete -C LINE` prints each candidate, a TAB, its description. */
let script: string;
async function complete(line: string): Promise<string[]> {
  const result = await runShell('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', script, `qed-bootstrap ${line}`]);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}
const names = (lines: string[]) => lines.map((line) => line.split('\t')[0]);

const fish = await shellInstalled('fish');

describe.skipIf(!fish)(`fish completion${fish ? '' : ' (skipped: fish is not installed)'}`, () => {
  beforeAll(async () => {
    script = await scriptFile('fish');
  });

  it('completes a command from its start, with its description', async () => {
    expect(await complete('clu')).toEqual(['cluster\tthe minikube cluster: driver from what doctor finds, insecure registry and data…']);
  });

  it('after `cluster `: its actions; after `manifests `: its subcommands', async () => {
    expect(names(await complete('cluster '))).toEqual(['delete', 'status', 'stop', 'up']);
    expect(names(await complete('manifests '))).toEqual(['help', 'migrate', 'render', 'validate']);
  });

  it('an option\'s fixed values, as the next word or after =; the shells of `completion`', async () => {
    expect(names(await complete('--from doc'))).toEqual(['docker-config', 'doctor']);
    expect(names(await complete('cluster --driver=k'))).toEqual(['--driver=kvm2']);
    expect(names(await complete('completion '))).toEqual(['bash', 'fish', 'powershell', 'zsh']);
  });

  it('a command\'s options with their descriptions', async () => {
    expect(await complete('registry --pu')).toEqual(['--purge\tdown: also delete the data volume']);
  });

  it('where anything goes (--config\'s file), fish completes files instead', async () => {
    const files = await runShell('fish', ['--no-config', '-c', 'source $argv[1]; cd $argv[3]; complete -C $argv[2]', script, 'qed-bootstrap -c qed-', path.dirname(script)]);
    expect(files.stdout.split('\n').filter(Boolean)).toEqual(['qed-bootstrap.fish']);
  });
});
