import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { FakeCommandRunner } from '@qed/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInfo, formatBuildInfo } from './build-info.js';

const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const global = globalThis as { __QED_BUILD_INFO__?: unknown };

describe('buildInfo', () => {
  afterEach(() => {
    delete global.__QED_BUILD_INFO__;
  });

  it('from the repository: the cli package\'s version and the checkout\'s HEAD, asked of git in the package\'s folder', async () => {
    const runner = new FakeCommandRunner().on('git', ['rev-parse', '--short', 'HEAD'], { stdout: 'abc1234\n' });
    expect(await buildInfo(runner)).toEqual({ version, commit: 'abc1234' });
    expect(runner.commandLines).toEqual(['git rev-parse --short HEAD']);
    expect(runner.calls[0]?.cwd).toBe(PACKAGE_DIR);
    // Whatever repository the user's shell points git at.
    expect(runner.calls[0]?.env).toEqual({ GIT_DIR: undefined, GIT_WORK_TREE: undefined });
  });

  it.each([
    ['git is not installed', { notInstalled: true } as const],
    ['the folder is no checkout', { exitCode: 128, stderr: 'fatal: not a git repository (or any of the parent directories): .git\n' }],
    ['git answers slowly', { timeout: true } as const],
  ])('the commit is null when %s', async (_case, answer) => {
    const runner = new FakeCommandRunner().on('git', ['rev-parse', '--short', 'HEAD'], answer);
    expect(await buildInfo(runner)).toEqual({ version, commit: null });
  });

  it('in the bundle: what the bundler defined, with no file read and no git', async () => {
    global.__QED_BUILD_INFO__ = { version: '9.8.7', commit: 'fedcba9' };
    const runner = new FakeCommandRunner();
    expect(await buildInfo(runner)).toEqual({ version: '9.8.7', commit: 'fedcba9' });
    expect(runner.calls).toEqual([]);
  });
});

describe('formatBuildInfo', () => {
  it('names the commit when it is known', () => {
    expect(formatBuildInfo({ version: '0.1.0', commit: 'abc1234' })).toBe('qed-bootstrap 0.1.0 (commit abc1234)');
    expect(formatBuildInfo({ version: '0.1.0', commit: null })).toBe('qed-bootstrap 0.1.0');
  });
});
