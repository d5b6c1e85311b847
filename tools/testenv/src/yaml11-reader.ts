import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TESTENV_ROOT } from './versions.js';

/** programs/yaml11-read: kubectl's own YAML decoding (sigs.k8s.io/yaml YAMLToJSON), stdin to JSON. */
export type ProvidedYaml11Reader = { available: true; path: string } | { available: false; reason: string };

/**
 * Where scripts/build-binaries.sh puts yaml11-read: named by the first 12 hex digits of
 * the sha256 of main.go, go.mod and go.sum one after another (as the script's
 * `cat … | sha256sum` does), so an edit to any of them builds, and finds, a new binary.
 */
export function yaml11ReaderBinary(binDir: string): string {
  const dir = path.join(TESTENV_ROOT, 'programs', 'yaml11-read');
  const hash = createHash('sha256');
  for (const file of ['main.go', 'go.mod', 'go.sum']) hash.update(readFileSync(path.join(dir, file)));
  return path.join(binDir, `yaml11-read-${hash.digest('hex').slice(0, 12)}`);
}

/** The reader if it is built; otherwise why not and what to run. */
export function findYaml11Reader(binDir: string): ProvidedYaml11Reader {
  const file = yaml11ReaderBinary(binDir);
  if (existsSync(file)) return { available: true, path: file };
  const script = path.join(TESTENV_ROOT, 'scripts', 'build-binaries.sh');
  return { available: false, reason: `${file} is not built (run \`bash ${script} yaml11-read\`)` };
}
