import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { shellQuote } from '@qed/core';

/** What a stand-in answers to one exact argv: a recorded output of the real tool. */
export interface StandInAnswer {
  args: readonly string[];
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

export interface StandInTools {
  /**
   * The folder of stand-ins. Given as the whole PATH, nothing of the machine's is
   * found: a test asserts the same outcome on any machine, with or without the real
   * tools installed.
   */
  binDir: string;
  /** Every call made so far, as "tool arg arg", in the order they started. */
  calls(): Promise<string[]>;
}

/** What a stand-in exits with when asked something it has no recording for: loud, and no real tool's code. */
export const UNRECORDED_EXIT_CODE = 97;

/**
 * Writes executable stand-ins of command-line tools into a new temporary folder,
 * for tests that run real processes (the CLI's bin, the real runner) but must not
 * depend on what the machine has installed. Each answers the argv it has a
 * recording for with that recording, exactly; anything else fails loudly. They run
 * on this test's Node by its absolute path, so even node need not be on the PATH.
 */
export async function createStandInTools(tools: Readonly<Record<string, readonly StandInAnswer[]>>): Promise<StandInTools> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'qed-stand-in-tools-'));
  const binDir = path.join(root, 'bin');
  await mkdir(binDir);
  const program = path.join(root, 'stand-in.mjs');
  await writeFile(program, STAND_IN_PROGRAM);
  await writeFile(path.join(root, 'answers.json'), JSON.stringify(tools));
  for (const tool of Object.keys(tools)) {
    if (process.platform === 'win32') {
      await writeFile(path.join(binDir, `${tool}.cmd`), `@"${process.execPath}" "${program}" ${tool} %*\r\n`);
    } else {
      const file = path.join(binDir, tool);
      await writeFile(file, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(program)} ${shellQuote(tool)} "$@"\n`);
      await chmod(file, 0o755);
    }
  }
  return {
    binDir,
    calls: async () => {
      const log = await readFile(path.join(root, 'calls.log'), 'utf8').catch(() => '');
      return log
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as string[]).join(' '));
    },
  };
}

const STAND_IN_PROGRAM = `// A stand-in for a command-line tool, written by @qed/testing's createStandInTools.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const [tool, ...args] = process.argv.slice(2);
appendFileSync(path.join(root, 'calls.log'), JSON.stringify([tool, ...args]) + '\\n');
const answers = JSON.parse(readFileSync(path.join(root, 'answers.json'), 'utf8'))[tool] ?? [];
const answer = answers.find((a) => a.args.length === args.length && a.args.every((arg, i) => arg === args[i]));
if (answer) {
  process.stdout.write(answer.stdout ?? '');
  process.stderr.write(answer.stderr ?? '');
  process.exitCode = answer.exitCode ?? 0;
} else {
  process.stderr.write('stand-in ' + tool + ': no recorded answer for ' + JSON.stringify(args) + '\\n');
  process.exitCode = ${UNRECORDED_EXIT_CODE};
}
`;
