import path from 'node:path';

/** The folder the tool keeps its files in: in the project folder, and in the home folder. */
export const QED_DIR = '.qed';

/**
 * The tool's files in the project folder, relative to it: the folder of the qed.config.yaml
 * in effect, else the cwd (locateProject). Every writer makes their folder with
 * ensureQedDir, which gives `.qed/` its `.gitignore`.
 */
export const PROJECT_FILES = {
  /** How far the last bootstrap run got, so the next one can resume. */
  stateFile: path.join(QED_DIR, 'bootstrap-state.json'),
  /** Held while a bootstrap run writes the state file. */
  lockFile: path.join(QED_DIR, 'bootstrap.lock'),
  /** The refs `images` pushed, which render points the manifests at. */
  imagesFile: path.join(QED_DIR, 'images.json'),
  /** What `manifests render` writes and `apply` reads. */
  manifestsDir: path.join(QED_DIR, 'manifests'),
} as const;

/** The tool's files in the home folder, relative to it: kept across projects, never in a checkout. */
export const HOME_FILES = {
  /** KEY=value secret values for render. */
  secretsFile: path.join(QED_DIR, 'secrets.env'),
  /** Where hostPath volume data lives unless dataRoot says otherwise. */
  dataRoot: path.join(QED_DIR, 'data'),
} as const;

/** The tool's files, absolute, for one project folder and one home folder. */
export interface ProjectPaths {
  stateFile: string;
  lockFile: string;
  manifestsDir: string;
  imagesFile: string;
  secretsFile: string;
}

/** `projectDir`: locateProject's root, which is the cwd only when no config file is found. */
export function projectPaths(dirs: { projectDir: string; homeDir: string }): ProjectPaths {
  return {
    stateFile: path.join(dirs.projectDir, PROJECT_FILES.stateFile),
    lockFile: path.join(dirs.projectDir, PROJECT_FILES.lockFile),
    manifestsDir: path.join(dirs.projectDir, PROJECT_FILES.manifestsDir),
    imagesFile: path.join(dirs.projectDir, PROJECT_FILES.imagesFile),
    secretsFile: path.join(dirs.homeDir, HOME_FILES.secretsFile),
  };
}
