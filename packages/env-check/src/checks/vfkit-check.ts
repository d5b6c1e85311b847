import type { CheckContext } from '../check-types.js';
import { defineCheck } from '../define-check.js';
import { firstLine, runTool } from '../run-tool.js';
import { driverNeed, hangIsBroken, reportBroken, reportMissing, reportUnsupported } from './driver-check.js';

const INSTALL_HINT = 'Install it: brew install vfkit.';

const needOf = (ctx: CheckContext) => driverNeed(ctx, 'vfkit', 'the vfkit binary');

/**
 * macOS only: the vfkit binary minikube's vfkit driver starts the VM with (on
 * macOS's Virtualization framework). Whether this Mac can run VMs at all is the
 * virtualization check's kern.hv_support.
 */
export const vfkitCheck = defineCheck(
  'vfkit',
  'vfkit',
  hangIsBroken(needOf, async (ctx, report) => {
    const need = needOf(ctx);
    const unsupported = reportUnsupported(ctx, report, need);
    if (unsupported) return unsupported;
    const result = await runTool(ctx, { command: 'vfkit', args: ['--version'] });
    if (!result) return reportMissing(report, need, 'vfkit is not installed (not on PATH)', INSTALL_HINT);
    // "vfkit version: v0.6.1"
    const version = /\bv?(\d+\.\d+(?:\.\d+)?)/.exec(result.stdout)?.[1] ?? null;
    if (result.exitCode !== 0 || !version) {
      return reportBroken(report, need, {
        detail: `vfkit --version printed no version: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode ?? result.signal}`}`,
        hint: 'Reinstall it: brew reinstall vfkit (a copied binary must be signed to start VMs).',
      });
    }
    return report({
      status: 'ok',
      version,
      required: need.required,
      detail: `vfkit ${version}: the VM runs on macOS's Virtualization framework`,
    });
  }),
  { platforms: ['macos'] },
);
