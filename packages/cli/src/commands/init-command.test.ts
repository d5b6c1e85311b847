import { mkdir, mkdtemp, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isQedError, loadConfig, type OutputMode, QedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { capturedCliContext } from './captured-cli-context.test-support.js';
import { type AskReposDir, run } from './init-command.js';

/** A QED checkout (its layout as github.com/quanted/qed has it) beside an empty folder to run init in. */
async function workspace(): Promise<{ root: string; work: string }> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'qed-init-cmd-')));
  for (const file of ['qed/Dockerfile', 'qed/qed_nginx/Dockerfile', 'qed/flask_qed/Dockerfile', 'elsewhere/qed/cts_nodejs/Dockerfile']) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), 'FROM scratch\n');
  }
  await mkdir(path.join(root, 'work'));
  return { root, work: path.join(root, 'work') };
}

const context = (cwd: string, mode: Partial<OutputMode> = {}) => capturedCliContext(cwd, { mode });

const neverAsked: AskReposDir = () => Promise.reject(new Error('asked, but it must not prompt'));

describe('qed-bootstrap init', () => {
  it('without a terminal (CI): searches here and in the parent, writes a config that loads, and prompts for nothing', async () => {
    const { root, work } = await workspace();
    const { ctx, out } = context(work);
    expect(await run(ctx, {}, [], neverAsked)).toBe(0);
    const { config } = await loadConfig({ cwd: work, homeDir: '/home/me' });
    const contexts = Object.fromEntries(config.images.filter((i) => i.context).map((i) => [i.name, i.context]));
    expect(contexts).toEqual({ 'qed-django': path.join(root, 'qed'), 'qed-nginx': path.join(root, 'qed', 'qed_nginx'), 'flask-qed': path.join(root, 'qed', 'flask_qed') });
    expect(out.stdout).toContain(`Wrote ${path.join(work, 'qed.config.yaml')}: 3 of 11 images build from local contexts (qed-nginx: ../qed/qed_nginx, qed-django: ../qed, flask-qed: ../qed/flask_qed).`);
    expect(await readdir(work)).toEqual(['qed.config.yaml']);
  });

  it('on a terminal: asks where the repositories are, offering where it found them, and searches there first', async () => {
    const { root, work } = await workspace();
    const { ctx } = context(work, { interactive: true, ci: false });
    const questions: Array<Parameters<AskReposDir>[0]> = [];
    const ask: AskReposDir = async (question) => {
      questions.push(question);
      return '../elsewhere';
    };
    expect(await run(ctx, {}, [], ask)).toBe(0);
    expect(questions).toHaveLength(1);
    expect(questions[0]?.message).toMatch(/^Where are the QED repositories with their Dockerfiles/);
    expect(questions[0]?.default).toBe(path.join('..', 'qed'));
    expect(await questions[0]?.validate('../nowhere')).toBe('../nowhere is not a folder');
    expect(await questions[0]?.validate('..')).toBe(true);
    const { config } = await loadConfig({ cwd: work, homeDir: '/home/me' });
    expect(config.images.find((i) => i.name === 'cts-nodejs')?.context).toBe(path.join(root, 'elsewhere', 'qed', 'cts_nodejs'));
    expect(config.images.find((i) => i.name === 'qed-nginx')?.context).toBe(path.join(root, 'qed', 'qed_nginx'));
  });

  it('--repos DIR is searched first, with no question asked even on a terminal; a DIR that is not there is a usage error', async () => {
    const { root, work } = await workspace();
    const { ctx, out } = context(work, { interactive: true, ci: false, json: true });
    expect(await run(ctx, { repos: '../elsewhere', json: true }, [], neverAsked)).toBe(0);
    const printed = JSON.parse(out.stdout);
    expect(printed).toMatchObject({ file: path.join(work, 'qed.config.yaml'), written: true, replaced: false, searched: [path.join(root, 'elsewhere'), work, root] });
    expect(printed.images.find((i: { name: string }) => i.name === 'cts-nodejs')).toEqual({ name: 'cts-nodejs', source: 'quanted/cts_nodejs:latest', context: '../elsewhere/qed/cts_nodejs', dockerfile: null });
    expect(printed.text).toBe(await readFile(path.join(work, 'qed.config.yaml'), 'utf8'));
    const error = await run(context(work).ctx, { repos: 'missing' }, [], neverAsked).catch((e: unknown) => e);
    expect(isQedError(error, 'USAGE') && error.message).toBe('--repos missing: no such folder');
  });

  it('--dry-run prints the file and writes nothing', async () => {
    const { work } = await workspace();
    const { ctx, out } = context(work);
    expect(await run(ctx, { dryRun: true }, [], neverAsked)).toBe(0);
    expect(out.stdout).toMatch(/^# qed-bootstrap project config, written by `qed-bootstrap init`\./);
    expect(out.stdout).toContain('    context: ../qed/qed_nginx\n');
    expect(out.stdout).toContain(`(dry run: ${path.join(work, 'qed.config.yaml')} was not written)`);
    expect(await readdir(work)).toEqual([]);
  });

  it('an existing qed.config.yaml is replaced only with consent: refused without it (left as it was), replaced with --yes', async () => {
    const { work } = await workspace();
    const file = path.join(work, 'qed.config.yaml');
    await writeFile(file, 'namespace: mine\n');
    const refused = await run(context(work).ctx, {}, [], neverAsked).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QedError);
    expect((refused as QedError).code).toBe('CONSENT_REQUIRED');
    expect((refused as QedError).message).toBe(`Replacing ${file} was not confirmed, so nothing was changed`);
    expect((refused as QedError).hint).toContain('`qed-bootstrap init --dry-run`');
    expect(await readFile(file, 'utf8')).toBe('namespace: mine\n');
    const { ctx, out } = context(work);
    expect(await run(ctx, { yes: true }, [], neverAsked)).toBe(0);
    expect(out.stdout).toMatch(/^Replaced /);
    expect(await readFile(file, 'utf8')).toMatch(/^# qed-bootstrap project config/);
    expect(await readdir(work)).toEqual(['qed.config.yaml']);
  });
});
