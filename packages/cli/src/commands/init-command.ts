import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CONFIG_FILE_NAME,
  fileAccessError,
  findImageContexts,
  formatInitConfig,
  type FoundContext,
  QedError,
  requireConsent,
  writeFileAtomic,
} from '@qed/core';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { confirm } from '../confirm.js';

interface InitOptions extends GlobalOptions {
  repos?: string;
  dryRun?: boolean;
}

/** Asks where the QED repositories are; resolves to a path as typed. The CLI asks with @inquirer/prompts, tests answer themselves. */
export type AskReposDir = (question: { message: string; default: string; validate: (value: string) => Promise<true | string> }) => Promise<string>;

/**
 * `qed-bootstrap init`: a commented qed.config.yaml in the current folder for a QED
 * checkout, with the build context of each QED image found there. On a terminal it
 * asks where the QED repositories are (offering where it found them); with --yes,
 * CI=true or --json it only searches: this folder and its parent, and --repos DIR
 * first when given. An existing qed.config.yaml is replaced only with consent.
 */
export async function run(ctx: CliContext, options: InitOptions, _args: string[], ask: AskReposDir = inquirerAsk): Promise<number> {
  const { output } = ctx;
  const file = path.join(ctx.cwd, CONFIG_FILE_NAME);
  const nearby = [ctx.cwd, path.dirname(ctx.cwd)];
  const given = options.repos === undefined ? [] : [path.resolve(ctx.cwd, options.repos)];
  if (given[0] && !(await isFolder(given[0]))) {
    throw new QedError('USAGE', `--repos ${options.repos}: no such folder`, { hint: 'Give the folder that holds the QED repositories (the qed checkout), or leave --repos out to search here.' });
  }
  // Asked first: no question about the repositories is worth answering for a file that stays.
  const exists = await access(file).then(() => true, () => false);
  if (exists && !options.dryRun) {
    const consent = await confirm(ctx, `${file} exists: replace it?`, options);
    requireConsent(consent, { action: `Replacing ${file}`, alternative: 'see the new file first with `qed-bootstrap init --dry-run`', data: { file } });
  }
  let roots = [...given, ...nearby];
  let found = await findImageContexts(roots);
  if (given.length === 0 && output.mode.interactive) {
    const answer = await ask({
      message: 'Where are the QED repositories with their Dockerfiles (the qed checkout: qed_nginx, flask_qed, cts_nodejs, …)?',
      default: suggestedFolder(ctx.cwd, found),
      validate: async (value) => ((await isFolder(path.resolve(ctx.cwd, value))) ? true : `${value} is not a folder`),
    });
    roots = [path.resolve(ctx.cwd, answer), ...nearby];
    found = await findImageContexts(roots);
  }
  const init = formatInitConfig(ctx.cwd, found);
  if (!options.dryRun) {
    await writeFileAtomic(file, init.text, 0o644).catch((error: unknown) => {
      throw fileAccessError(error, file, 'write');
    });
  }

  const images = init.config.images.map((i) => ({ name: i.name, source: i.source, context: i.context ?? null, dockerfile: i.dockerfile ?? null }));
  if (output.mode.json) {
    output.json({ file, written: !options.dryRun, replaced: exists && !options.dryRun, searched: roots, images, config: init.config, text: init.text });
    return 0;
  }
  if (options.dryRun) {
    output.result(init.text.trimEnd());
    output.info(`(dry run: ${file} was not written)`);
    return 0;
  }
  const built = images.filter((i) => i.context !== null);
  output.result(
    `${exists ? 'Replaced' : 'Wrote'} ${file}: ${built.length} of ${images.length} images build from local contexts${built.length ? ` (${built.map((i) => `${i.name}: ${i.context}`).join(', ')})` : ''}.`,
  );
  if (built.length < images.length) output.info(`Remote images are used for the others: ${images.filter((i) => i.context === null).map((i) => i.name).join(', ')}.`);
  if (ctx.projectDir !== ctx.cwd && !exists) output.info(`Commands run here now read this file, not ${path.join(ctx.projectDir, CONFIG_FILE_NAME)}.`);
  output.info('Next: `npx qed-bootstrap config validate`, then `npx qed-bootstrap` to bootstrap.');
  return 0;
}

/** Where the found contexts are (the folder holding them all), relative to the cwd; '.' when none was found. */
function suggestedFolder(cwd: string, found: ReadonlyMap<string, FoundContext>): string {
  const dirs = [...found.values()].map((f) => f.context);
  if (dirs.length === 0) return '.';
  let common = dirs[0] ?? cwd;
  while (!dirs.every((d) => d === common || d.startsWith(`${common}${path.sep}`))) common = path.dirname(common);
  return path.relative(cwd, common) || '.';
}

async function isFolder(dir: string): Promise<boolean> {
  return stat(dir).then((s) => s.isDirectory(), () => false);
}

async function inquirerAsk(question: Parameters<AskReposDir>[0]): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  return input({ message: question.message, default: question.default, validate: question.validate });
}
