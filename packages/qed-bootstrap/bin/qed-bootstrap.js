#!/usr/bin/env node
// The published entry: checks the Node version before anything else can fail on
// an older one, answers the root `--help` from the text the build recorded, turns
// on Node's compile cache, then loads the bundle.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`qed-bootstrap needs Node.js 22 or newer; this is ${process.version}.\n  Fix: install Node 24 (https://nodejs.org), then run \`npx qed-bootstrap\` again.\n`);
  process.exit(1);
}
// Built-ins through getBuiltinModule (Node 22.3+), not `import`: an ESM import of
// node:fs builds its namespace, which loads modules `--help` never uses.
const fs = process.getBuiltinModule?.('node:fs');
const help = fs && isRootHelp(process.argv.slice(2)) ? recordedRootHelp(fs) : null;
if (help !== null) {
  writeOut(fs, help);
} else {
  // Compiled code is kept on disk, so later runs skip most of the compile work.
  const module = process.getBuiltinModule?.('node:module') ?? (await import('node:module')).default;
  module.enableCompileCache?.();
  await import('../dist/main.js');
}

/** `qed-bootstrap --help` (or -h) and nothing else: what dist/root-help.txt answers. */
function isRootHelp(args) {
  return args.length === 1 && (args[0] === '--help' || args[0] === '-h');
}

/**
 * The root help as commander printed it when the bundle was built
 * (scripts/bundle.mjs), or null where commander would print something else:
 * commander wraps at 80 columns into a pipe or a file, but at the terminal's
 * width on a terminal (a character device; /dev/null, also one, takes the long
 * way for nothing). Building the program costs more than Node's own start-up.
 */
function recordedRootHelp(fs) {
  try {
    if (fs.fstatSync(1).isCharacterDevice()) return null;
    return fs.readFileSync(new URL('../dist/root-help.txt', import.meta.url), 'utf8');
  } catch {
    return null;
  }
}

/** All of it to stdout, as commander would write it; the stream takes what a full non-blocking pipe refuses. */
function writeOut(fs, text) {
  const bytes = Buffer.from(text);
  let at = 0;
  try {
    while (at < bytes.length) at += fs.writeSync(1, bytes, at);
  } catch {
    process.stdout.write(bytes.subarray(at));
  }
}
