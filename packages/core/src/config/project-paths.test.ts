import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPaths } from './project-paths.js';

describe('projectPaths', () => {
  it('puts the run files under the project .qed/ and the secrets under ~/.qed/', () => {
    const cwd = path.join(path.sep, 'work', 'app');
    const homeDir = path.join(path.sep, 'home', 'dev');
    expect(projectPaths({ projectDir: cwd, homeDir })).toEqual({
      stateFile: path.join(cwd, '.qed', 'bootstrap-state.json'),
      lockFile: path.join(cwd, '.qed', 'bootstrap.lock'),
      manifestsDir: path.join(cwd, '.qed', 'manifests'),
      imagesFile: path.join(cwd, '.qed', 'images.json'),
      secretsFile: path.join(homeDir, '.qed', 'secrets.env'),
    });
  });
});
