import { detectPlatform, type Output } from '@qed/core';
import { type DoctorReport, doctorReportJson, formatDoctorReport, nodeCheckContext, runDoctor } from '@qed/env-check';
import { type BuildInfo, buildInfo } from '../build-info.js';
import type { CliContext } from '../cli-context.js';

/** `qed-bootstrap doctor`: exit 0 when nothing required is missing, 1 otherwise. --json says which qed-bootstrap checked, too. */
export async function run(ctx: CliContext): Promise<number> {
  const report = await checkMachine(ctx);
  printReport(report, ctx.output, ctx.output.mode.json ? await buildInfo(ctx.runner) : undefined);
  if (!ctx.output.mode.json) ctx.output.result(summarise(report));
  return report.ok ? 0 : 1;
}

export async function checkMachine(ctx: CliContext): Promise<DoctorReport> {
  const { config } = await ctx.loadConfig();
  // Disk is measured where the cluster's volume data will live (or its nearest existing parent).
  const platform = await detectPlatform(undefined, await existingAncestor(config.dataRoot));
  return runDoctor(nodeCheckContext({ runner: ctx.runner, platform, config, env: ctx.env }));
}

export function printReport(report: DoctorReport, output: Output, build?: BuildInfo): void {
  if (output.mode.json) output.json({ ...doctorReportJson(report), ...(build ? { version: build.version, commit: build.commit } : {}) });
  else output.result(formatDoctorReport(report, (style, text) => output.paint(style, text)));
}

export function summarise(report: DoctorReport): string {
  const failed = report.checks.filter((c) => c.status === 'fail');
  const warned = report.checks.filter((c) => c.status === 'warn');
  if (failed.length === 0) {
    return warned.length === 0
      ? 'Everything the QED stack needs is here.'
      : `Ready, with ${warned.length} warning${warned.length === 1 ? '' : 's'} worth a look (see the fixes above).`;
  }
  const ids = failed.map((c) => c.id).join(', ');
  return `Not ready: ${failed.length} required check${failed.length === 1 ? '' : 's'} failed (${ids}). Apply the fixes above, then run \`npx qed-bootstrap doctor\` again.`;
}

async function existingAncestor(dir: string): Promise<string> {
  const { access } = await import('node:fs/promises');
  const path = await import('node:path');
  let current = path.resolve(dir);
  for (;;) {
    try {
      await access(current);
      return current;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}
