import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every test file's temporary folders (os.tmpdir(), mkdtemp) go into one folder per
 * vitest run, removed when the run ends: tests leave nothing in the machine's /tmp.
 * Workers and the processes tests start inherit TMPDIR. One folder for the run's
 * projects together, with a short name: unix socket paths under it (podman's) are
 * limited to about 107 bytes.
 */
export default function setup(): () => void {
  if (process.env.QED_VITEST_TMPDIR) return () => undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qv-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  process.env.QED_VITEST_TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env.QED_VITEST_TMPDIR;
    rmSync(dir, { recursive: true, force: true });
  };
}
