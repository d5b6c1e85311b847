import { mkdir, mkdtemp, realpath, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile, locateProject } from './locate-project.js';

/** A temporary folder with a/b/c below it; `config` names the folders (relative) that get a qed.config.yaml. */
async function tree(config: string[]): Promise<{ root: string; deep: string }> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'qed-locate-')));
  const deep = path.join(root, 'a', 'b', 'c');
  await mkdir(deep, { recursive: true });
  for (const dir of config) await writeFile(path.join(root, dir, 'qed.config.yaml'), 'namespace: qed\n');
  return { root, deep };
}

describe('locateProject', () => {
  it('finds qed.config.yaml in the current folder: that folder is the root', async () => {
    const { root, deep } = await tree(['a/b/c', 'a']);
    expect(await locateProject({ cwd: deep })).toEqual({ root: deep, configFile: path.join(deep, 'qed.config.yaml') });
    expect(root).not.toBe(deep);
  });

  it('finds it two levels up, past folders without one: that folder is the root', async () => {
    const { root, deep } = await tree(['a']);
    const a = path.join(root, 'a');
    expect(await locateProject({ cwd: deep })).toEqual({ root: a, configFile: path.join(a, 'qed.config.yaml') });
  });

  it('--config wins over a file found here or above; its folder is the root', async () => {
    const { root, deep } = await tree(['a/b/c', 'a']);
    await mkdir(path.join(root, 'configs'));
    const chosen = await locateProject({ cwd: deep, configPath: '../../../configs/ci.yaml' });
    expect(chosen).toEqual({ root: path.join(root, 'configs'), configFile: path.join(root, 'configs', 'ci.yaml') });
  });

  it('none found: the root is the current folder and there is no config file', async () => {
    const { deep } = await tree([]);
    // As on a machine with no qed.config.yaml above its temporary folder (the CLI's tests assume that too).
    expect(await locateProject({ cwd: deep })).toEqual({ root: deep, configFile: null });
    // Every folder up to the filesystem root is asked (answered "none" here, whatever the machine has above the temporary folder).
    const asked: string[] = [];
    const none = async (file: string) => {
      asked.push(file);
      return false;
    };
    expect(await locateProject({ cwd: deep }, none)).toEqual({ root: deep, configFile: null });
    expect(asked[0]).toBe(path.join(deep, 'qed.config.yaml'));
    expect(asked.at(-1)).toBe(path.join(path.parse(deep).root, 'qed.config.yaml'));
    expect(asked).toHaveLength(deep.split(path.sep).filter(Boolean).length + 1);
  });

  it('a folder named qed.config.yaml is not a config file: the search goes on above it', async () => {
    const { root, deep } = await tree(['a']);
    await mkdir(path.join(deep, 'qed.config.yaml'));
    expect(await findConfigFile(deep)).toBe(path.join(root, 'a', 'qed.config.yaml'));
  });
});
