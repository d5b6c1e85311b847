import { win32 } from 'node:path';
import type { CheckContext } from '../check-types.js';
import { defineCheck } from '../define-check.js';
import { hintFor } from '../hint-for.js';
import { firstLine, runTool } from '../run-tool.js';
import { driverNeed, reportUnsupported } from './driver-check.js';

const INSTALL_HINT = {
  macos: 'brew install --cask virtualbox (Intel Macs only; on Apple silicon use driver docker or vfkit)',
  windows: 'winget install Oracle.VirtualBox',
  linux: 'sudo apt-get install virtualbox, or a package from https://www.virtualbox.org/wiki/Linux_Downloads',
};

export const virtualboxCheck = defineCheck('virtualbox', 'VirtualBox', async (ctx, report) => {
  const driver = ctx.config.cluster.driver;
  const needed = driver === 'virtualbox';
  const required = needed ? 'installed (cluster.driver is virtualbox)' : null;
  // Apple silicon: refused with the reason, without asking VBoxManage.
  const unsupported = reportUnsupported(ctx, report, driverNeed(ctx, 'virtualbox', 'installed'));
  if (unsupported) return unsupported;
  const result = await runTool(ctx, { command: vboxManageCommand(ctx), args: ['--version'] });
  if (!result) {
    return needed
      ? report({
          status: 'fail',
          required,
          detail: 'VBoxManage is not installed (not on PATH)',
          hint: `Install VirtualBox: ${hintFor(ctx.platform.os, INSTALL_HINT)}.`,
        })
      : report({ status: 'skip', detail: `not installed; not needed for driver ${driver}` });
  }
  // "7.1.4r165100", Ubuntu's "7.0.20_Ubuntur163906"; the wrapper script may print
  // WARNING paragraphs about kernel modules first, on stdout or stderr.
  const lines = `${result.stdout}\n${result.stderr}`.split(/\r?\n/);
  const versionLine = lines
    .map((line) => /^(\d+\.\d+\.\d+)\S*?(?:r(\d+))?$/.exec(line.trim()))
    .find((m) => m !== null);
  const version = versionLine?.[1] ?? null;
  if (!version) {
    return report({
      status: needed ? 'fail' : 'warn',
      required,
      detail: `VBoxManage --version printed no version: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode}`}`,
      hint: `Reinstall VirtualBox: ${hintFor(ctx.platform.os, INSTALL_HINT)}.`,
    });
  }
  const warning = firstWarning(lines);
  if (warning) {
    return report({
      status: 'warn',
      version,
      required,
      detail: `VirtualBox ${version}, but: ${warning}`,
      hint: hintFor(ctx.platform.os, {
        macos:
          'Allow the Oracle system extension (System Settings > Privacy & Security), restart, or reinstall VirtualBox.',
        windows: 'Reinstall VirtualBox as administrator, then restart Windows.',
        linux:
          'Build and load the kernel modules: sudo /sbin/vboxconfig (needs the headers: sudo apt-get install linux-headers-$(uname -r)); with Secure Boot on, sign the modules or turn Secure Boot off.',
      }),
    });
  }
  return report({
    status: 'ok',
    version,
    required,
    detail: `VirtualBox ${version}${versionLine?.[2] ? ` (r${versionLine[2]})` : ''}`,
  });
});

/**
 * The Windows installer does not put VBoxManage on PATH; it records its folder in
 * VBOX_MSI_INSTALL_PATH, which is where minikube looks too.
 */
function vboxManageCommand(ctx: CheckContext): string {
  const folder = ctx.env.VBOX_MSI_INSTALL_PATH || ctx.env.VBOX_INSTALL_PATH;
  return ctx.platform.os === 'windows' && folder ? win32.join(folder, 'VBoxManage.exe') : 'VBoxManage';
}

/** The first sentence of the first WARNING paragraph, whose lines wrap with an indent. */
function firstWarning(lines: readonly string[]): string | null {
  const start = lines.findIndex((line) => line.startsWith('WARNING:'));
  if (start < 0) return null;
  const paragraph: string[] = [(lines[start] ?? '').slice('WARNING:'.length).trim()];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s+\S/.test(line)) break;
    paragraph.push(line.trim());
  }
  const text = paragraph.join(' ');
  return /^.*?\.(?=\s|$)/.exec(text)?.[0] ?? text;
}
