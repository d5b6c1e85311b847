import { parseVersion } from '@qed/core';
import type { CheckContext } from '../check-types.js';
import { defineCheck } from '../define-check.js';
import { firstLine, runTool } from '../run-tool.js';
import { driverNeed, hangIsBroken, reportBroken, reportMissing, reportUnsupported } from './driver-check.js';

const needOf = (ctx: CheckContext) =>
  driverNeed(ctx, 'parallels', 'Parallels Desktop 11 or later, Pro or Business edition');

/**
 * macOS only: Parallels Desktop as minikube's parallels driver requires it:
 * version 11 or later (prlctl --version) and the Pro or Business edition (from
 * the license, prlsrvctl info --license). minikube rates the driver deprecated.
 */
export const parallelsCheck = defineCheck(
  'parallels',
  'Parallels Desktop',
  hangIsBroken(needOf, async (ctx, report) => {
    const need = needOf(ctx);
    const unsupported = reportUnsupported(ctx, report, need);
    if (unsupported) return unsupported;
    const [result, license] = await Promise.all([
      runTool(ctx, { command: 'prlctl', args: ['--version'] }),
      runTool(ctx, { command: 'prlsrvctl', args: ['info', '--license'] }),
    ]);
    if (!result) {
      return reportMissing(
        report,
        need,
        'prlctl is not installed (not on PATH): Parallels Desktop is not installed',
        'Install Parallels Desktop, Pro or Business edition (https://www.parallels.com/products/desktop/), or set cluster.driver to vfkit or qemu2.',
      );
    }
    // "prlctl version 19.1.0 (54729)"
    const version = / (\d+\.\d+\.\d+)/.exec(result.stdout)?.[1] ?? null;
    if (result.exitCode !== 0 || !version) {
      return reportBroken(report, need, {
        detail: `prlctl --version printed no version: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode ?? result.signal}`}`,
        hint: 'Reinstall Parallels Desktop.',
      });
    }
    if ((parseVersion(version)?.major ?? 0) < 11) {
      return reportBroken(report, need, {
        version,
        detail: `Parallels Desktop ${version}: the parallels driver needs version 11 or later`,
        hint: 'Upgrade Parallels Desktop, or set cluster.driver to vfkit or qemu2.',
      });
    }
    const edition = /edition="([^"]+)"/.exec(license?.stdout ?? '')?.[1] ?? null;
    if (!edition) {
      return reportBroken(report, need, {
        version,
        detail: `Parallels Desktop ${version}, but its edition could not be read (prlsrvctl info --license): the license may not be activated`,
        hint: 'Activate the license in Parallels Desktop (https://kb.parallels.com/en/124225).',
      });
    }
    if (edition !== 'pro' && edition !== 'business') {
      return reportBroken(report, need, {
        version,
        detail: `Parallels Desktop ${version}, ${edition} edition: the parallels driver needs the Pro or Business edition`,
        hint: 'Upgrade to Parallels Desktop Pro or Business edition, or set cluster.driver to vfkit or qemu2.',
      });
    }
    return report({
      status: 'ok',
      version,
      required: need.required,
      detail: `Parallels Desktop ${version}, ${edition} edition; minikube marks the parallels driver deprecated`,
    });
  }),
  { platforms: ['macos'] },
);
