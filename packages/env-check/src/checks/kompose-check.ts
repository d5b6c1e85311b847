import { defineCheck } from '../define-check.js';
import { hintFor } from '../hint-for.js';
import { firstLine, runTool } from '../run-tool.js';

const NOT_NEEDED = 'optional: qed-bootstrap converts the compose files itself, so kompose is not needed';

/** The guide used kompose; qed-bootstrap does not, so this check is informative and never fails. */
export const komposeCheck = defineCheck('kompose', 'kompose', async (ctx, report) => {
  const result = await runTool(ctx, { command: 'kompose', args: ['version'] });
  if (!result) return report({ status: 'skip', detail: `not installed; ${NOT_NEEDED}` });
  // "1.34.0 (cbf2835db)"
  const version = /^v?(\d+\.\d+\.\d+\S*)/m.exec(result.stdout)?.[1];
  if (result.exitCode !== 0 || !version) {
    return report({
      status: 'warn',
      detail: `kompose version did not report a version: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode}`}`,
      hint: `It is not needed; to repair it anyway: ${hintFor(ctx.platform.os, {
        macos: 'brew reinstall kompose',
        windows: 'choco install kubernetes-kompose',
        linux: 'see https://kompose.io/installation/',
      })}`,
    });
  }
  return report({ status: 'ok', version, detail: `kompose ${version}; ${NOT_NEEDED}` });
});
