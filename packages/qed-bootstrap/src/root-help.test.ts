import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '@qed/cli';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(packageDir, 'bin/qed-bootstrap.js');

/** What commander prints for `qed-bootstrap <flag>` into a pipe: 80 columns, no colour. */
async function commanderHelp(flag: string): Promise<string> {
  const out: string[] = [];
  const program = buildProgram()
    .exitOverride()
    .configureOutput({ writeOut: (text) => out.push(text), getOutHelpWidth: () => 80, getOutHasColors: () => false });
  // exitOverride: commander throws where it would exit after the help.
  await expect(program.parseAsync(['node', 'qed-bootstrap', flag])).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
  return out.join('');
}

// The bin answers the root --help from dist/root-help.txt, recorded by the build, without
// building the program; this keeps that text from ever differing from commander's.
describe('the recorded root help', () => {
  it('is what commander prints from the sources', async () => {
    expect(await readFile(path.join(packageDir, 'dist/root-help.txt'), 'utf8')).toBe(await commanderHelp('--help'));
  });

  it.each(['--help', '-h'])('is what the bin prints for %s into a pipe, exit code 0', async (flag) => {
    const shown = spawnSync(process.execPath, [bin, flag], { encoding: 'utf8' });
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toBe(await commanderHelp(flag));
  });

  it('is not used for anything but the root help alone', () => {
    const shown = spawnSync(process.execPath, [bin, 'convert', '--help'], { encoding: 'utf8' });
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^Usage: qed-bootstrap convert /);
  });
});
