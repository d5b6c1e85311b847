import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAME } from './load-config.js';

/** Where a command's project is: the folder its `.qed/` belongs in, and the config file in effect. */
export interface ProjectLocation {
  /** The config file's folder; the cwd when there is no config file. */
  root: string;
  /** --config FILE, else the nearest qed.config.yaml; null when there is neither. */
  configFile: string | null;
}

/** Whether a path is a file; tests pass their own. */
export type IsFile = (file: string) => Promise<boolean>;

const isFile: IsFile = (file) => stat(file).then((s) => s.isFile(), () => false);

/**
 * Finds the project as git and nx find theirs: qed.config.yaml in `cwd`, else in the
 * nearest parent that has one, up to the filesystem root. A file named with --config
 * wins over any found, and its folder is the root, as a compose file's folder is its
 * project's (relative paths in the file resolve there too). With no file anywhere the
 * root is the cwd and the defaults apply, as before there was a search.
 */
export async function locateProject(options: { cwd: string; configPath?: string }, exists: IsFile = isFile): Promise<ProjectLocation> {
  if (options.configPath !== undefined) {
    const file = path.resolve(options.cwd, options.configPath);
    return { root: path.dirname(file), configFile: file };
  }
  const found = await findConfigFile(options.cwd, exists);
  return found ? { root: path.dirname(found), configFile: found } : { root: path.resolve(options.cwd), configFile: null };
}

/** The nearest qed.config.yaml in `from` or a folder above it, or null. */
export async function findConfigFile(from: string, exists: IsFile = isFile): Promise<string | null> {
  let dir = path.resolve(from);
  for (;;) {
    const file = path.join(dir, CONFIG_FILE_NAME);
    if (await exists(file)) return file;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
