#!/usr/bin/env node
// The CLI as compiled by tsc (packages/cli/dist), for the tests and benches that run
// it from the repository. The `qed-bootstrap` command users get (and `npx
// qed-bootstrap` in this repository) is the bundle in packages/qed-bootstrap.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `qed-bootstrap needs Node.js 22 or newer; this is ${process.version}.\n` +
      '  Fix: run it as `npx qed-bootstrap` from the repository (npm puts the Node 24 it installed first on PATH), or install Node 24.\n',
  );
  process.exit(1);
}
const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'qed-bootstrap is not built yet.\n  Fix: run `npm install` (it builds the packages) or `npm run build` in the repository root.\n',
  );
  process.exit(1);
}
// Node keeps compiled code of the CLI and its dependencies on disk, so later runs
// skip most of the compile work (the Kubernetes client alone is hundreds of modules).
module.enableCompileCache?.();
await import(entry.href);
