import { defineCheck } from '../define-check.js';
import { hintFor } from '../hint-for.js';
import { firstLine, runTool } from '../run-tool.js';

const PURPOSE = 'optional: only needed to compile minikube or kompose from source';

/** Go is optional, so this check never fails. */
export const goCheck = defineCheck('go', 'Go toolchain', async (ctx, report) => {
  const result = await runTool(ctx, {
    command: 'go',
    args: ['version'],
    // With GOTOOLCHAIN=auto, a go.mod in the current folder asking for a newer Go
    // makes `go version` download that toolchain; doctor must never do that.
    env: { GOTOOLCHAIN: 'local' },
  });
  if (!result) {
    return report({
      status: 'skip',
      detail: `not installed; ${PURPOSE}`,
      hint: `Only if you compile from source: ${hintFor(ctx.platform.os, {
        macos: 'brew install go',
        windows: 'winget install GoLang.Go',
        linux: 'https://go.dev/doc/install (or sudo apt-get install golang-go)',
      })}.`,
    });
  }
  // "go version go1.26.8 linux/amd64"; release candidates read "go1.27rc1".
  const match = /\bgo(\d+\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?)\s+(\S+)/.exec(result.stdout);
  if (result.exitCode !== 0 || !match?.[1]) {
    return report({
      status: 'warn',
      detail: `go version did not report a version: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode}`}`,
      hint: 'Run `go version` to see what is wrong; it is only needed to compile from source.',
    });
  }
  return report({ status: 'ok', version: match[1], detail: `go${match[1]} ${match[2]}; ${PURPOSE}` });
});
