#!/usr/bin/env node
// The published entry: checks the Node version before anything else can fail on
// an older one, turns on Node's compile cache, then loads the bundle.
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`qed-bootstrap needs Node.js 22 or newer; this is ${process.version}.\n  Fix: install Node 24 (https://nodejs.org), then run \`npx qed-bootstrap\` again.\n`);
  process.exit(1);
}
// Compiled code is kept on disk, so later runs skip most of the compile work.
module.enableCompileCache?.();
await import('../dist/main.js');
