import type { CheckContext } from '../check-types.js';
import { defineCheck } from '../define-check.js';
import { hintFor } from '../hint-for.js';
import { firstLine, runTool } from '../run-tool.js';
import { driverNeed, hangIsBroken, reportBroken, reportMissing, reportUnsupported } from './driver-check.js';

const INSTALL_HINT = {
  macos:
    'Install VMware Fusion, then put its vmrun on PATH: export PATH="/Applications/VMware Fusion.app/Contents/Library:$PATH".',
  windows:
    'Install VMware Workstation, then add its folder (C:\\Program Files (x86)\\VMware\\VMware Workstation) to PATH.',
  linux: 'Install VMware Workstation, which brings vmrun.',
};

const needOf = (ctx: CheckContext) =>
  driverNeed(ctx, 'vmware', 'vmrun on PATH (VMware Workstation or Fusion)');

/**
 * vmrun on PATH, which is all minikube's vmware driver checks (it rates the
 * driver deprecated; on Apple silicon it is not offered). vmrun has no version
 * flag: with no arguments it prints its banner and usage and exits non-zero.
 */
export const vmwareCheck = defineCheck(
  'vmware',
  'VMware (vmrun)',
  hangIsBroken(needOf, async (ctx, report) => {
    const need = needOf(ctx);
    const unsupported = reportUnsupported(ctx, report, need);
    if (unsupported) return unsupported;
    const result = await runTool(ctx, { command: 'vmrun', args: [] });
    if (!result)
      return reportMissing(
        report,
        need,
        'vmrun is not installed (not on PATH)',
        hintFor(ctx.platform.os, INSTALL_HINT),
      );
    // "vmrun version 1.17.0 build-22583795"
    const version = /vmrun version (\d+\.\d+\.\d+)/.exec(`${result.stdout}\n${result.stderr}`)?.[1] ?? null;
    if (!version) {
      return reportBroken(report, need, {
        detail: `vmrun printed no version: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode ?? result.signal}`}`,
        hint: `Reinstall VMware: ${hintFor(ctx.platform.os, INSTALL_HINT)}`,
      });
    }
    return report({
      status: 'ok',
      version,
      required: need.required,
      detail: `vmrun ${version}; minikube marks the vmware driver deprecated`,
    });
  }),
);
