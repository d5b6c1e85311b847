/**
 * Outputs of `vfkit --version`. Not recorded on this project's machine (vfkit
 * exists only for macOS): the line Homebrew's formula test expects.
 */
export const VFKIT_0_6 = { stdout: 'vfkit version: v0.6.1\n' };

/** A vfkit the system refuses to start (quarantined or unsigned after a manual copy). */
export const VFKIT_KILLED = { stdout: '', stderr: '', signal: 'SIGKILL' };
