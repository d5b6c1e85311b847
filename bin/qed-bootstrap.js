#!/usr/bin/env node
// The bin must exist before `npm install` links it, so it is committed as a small
// shim that loads the compiled CLI. The CLI itself lives in packages/cli.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../packages/cli/dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'qed-bootstrap is not built yet.\n  Fix: run `npm install` (it builds the packages) or `npm run build` in the repository root.\n',
  );
  process.exit(1);
}
await import(entry.href);
