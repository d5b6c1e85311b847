import path from 'node:path';
import type { ImageConfig, SyncRule } from '@qed/core';
import picomatch from 'picomatch';

/** A file of the build context and where it goes in the running containers. */
export interface SyncCopy {
  /** Relative to the build context, '/'-separated. */
  file: string;
  /** Absolute path in the container. */
  dest: string;
}

export type ChangeAction = { action: 'sync'; copies: SyncCopy[] } | { action: 'rebuild'; reason: string };

/**
 * Files that decide what the image contains beyond the code: a change to one of
 * them always rebuilds, whatever the sync rules say (a new dependency must be
 * installed, not copied).
 */
const ALWAYS_REBUILD = [
  '.dockerignore',
  'requirements*.txt',
  'Pipfile',
  'Pipfile.lock',
  'pyproject.toml',
  'poetry.lock',
  'setup.py',
  'setup.cfg',
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'go.mod',
  'go.sum',
  '*.csproj',
  '*.sln',
  'packages.config',
  'pom.xml',
  'build.gradle',
  'Gemfile',
  'Gemfile.lock',
];
const rebuildsAlways = picomatch(ALWAYS_REBUILD, { basename: true, dot: true });

interface CompiledRule {
  rule: SyncRule;
  matches: (file: string) => boolean;
  /** The glob's fixed leading folder: what is below it keeps its path under dest. */
  base: string;
}

/** The sync rules of an image, compiled once. */
export function compileSyncRules(rules: readonly SyncRule[] = []): CompiledRule[] {
  return rules.map((rule) => ({ rule, matches: picomatch(rule.src, { dot: true }), base: picomatch.scan(rule.src).base }));
}

/**
 * What one batch of saved files calls for: copying them into the running
 * containers when every one matches a sync rule and none is the Dockerfile or a
 * dependency file; otherwise a rebuild, saying which file decided it. A deleted
 * file rebuilds too: a copy cannot take a file away.
 */
export function classifyChange(image: ImageConfig, changed: ReadonlyArray<{ file: string; deleted: boolean }>, rules = compileSyncRules(image.sync)): ChangeAction {
  const dockerfile = image.dockerfile && image.context ? path.relative(image.context, image.dockerfile).split(path.sep).join('/') : 'Dockerfile';
  const copies: SyncCopy[] = [];
  for (const { file, deleted } of changed) {
    if (file === dockerfile) return { action: 'rebuild', reason: `${file} changed` };
    if (rebuildsAlways(file)) return { action: 'rebuild', reason: `${file} changed (dependencies)` };
    const rule = rules.find((r) => r.matches(file));
    if (!rule) return { action: 'rebuild', reason: rules.length === 0 ? `${file} changed (no sync rules for ${image.name})` : `${file} changed (no sync rule matches it)` };
    if (deleted) return { action: 'rebuild', reason: `${file} was deleted (a sync copies, it cannot delete)` };
    const below = rule.base && file.startsWith(`${rule.base}/`) ? file.slice(rule.base.length + 1) : file;
    copies.push({ file, dest: path.posix.join(rule.rule.dest, below) });
  }
  return { action: 'sync', copies };
}
