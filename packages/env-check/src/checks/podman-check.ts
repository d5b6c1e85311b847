import path from 'node:path';
import { compareVersions, parseVersion, versionConstant } from '@qed/core';
import type { CheckContext } from '../check-types.js';
import { defineCheck } from '../define-check.js';
import { hintFor } from '../hint-for.js';
import { firstLine, parseJsonObject, runTool } from '../run-tool.js';
import { driverNeed, hangIsBroken, reportBroken, reportMissing, reportUnsupported } from './driver-check.js';

export const PODMAN_VERSION_ARGS = ['version', '--format', 'json'] as const;

/** Below this minikube's podman driver warns that it "might not work" (minReqPodmanVer, minikube v1.38). */
export const MINIMUM_PODMAN_VERSION = '4.9.0';

const INSTALL_HINT = {
  macos:
    'Install podman and start its VM: brew install podman, then podman machine init and podman machine start.',
  windows:
    'Install podman and start its VM: winget install RedHat.Podman, then podman machine init and podman machine start.',
  linux: 'Install podman: sudo apt-get install podman (or see https://podman.io/docs/installation).',
};

interface PodmanVersion {
  Client?: { Version?: string } | null;
  Server?: { Version?: string } | null;
}

const needOf = (ctx: CheckContext) =>
  driverNeed(ctx, 'podman', `podman ${MINIMUM_PODMAN_VERSION} or later, answering`);

/**
 * What minikube's podman driver needs: podman answering `podman version`, at
 * least 4.9.0. On macOS and Windows podman is a client of its podman machine,
 * whose version is the one that counts and which must be running. On Linux
 * minikube runs podman as root through `sudo -n` unless rootless mode is on
 * (MINIKUBE_ROOTLESS, or `minikube config set rootless true`); doctor does not
 * try sudo, so it says so instead.
 */
export const podmanCheck = defineCheck(
  'podman',
  'Podman',
  hangIsBroken(needOf, async (ctx, report) => {
    const { os } = ctx.platform;
    const need = needOf(ctx);
    const unsupported = reportUnsupported(ctx, report, need);
    if (unsupported) return unsupported;
    const linux = os === 'linux' || os === 'wsl';
    const [result, rootless] = await Promise.all([
      runTool(ctx, { command: 'podman', args: PODMAN_VERSION_ARGS }),
      linux ? rootlessMode(ctx) : Promise.resolve(null),
    ]);
    if (!result)
      return reportMissing(report, need, 'podman is not installed (not on PATH)', hintFor(os, INSTALL_HINT));

    const json = parseJsonObject(result.stdout) as PodmanVersion | null;
    const client = json?.Client?.Version ?? null;
    const server = json?.Server?.Version ?? null;
    // On macOS and Windows the machine's version is the one minikube asks for ({{.Server.Version}}).
    const counted = linux ? client : server;
    if (result.exitCode !== 0 || !counted) {
      const message =
        firstLine(result.stderr) ||
        firstLine(result.stdout) ||
        `exit code ${result.exitCode ?? result.signal}`;
      const unreachable = /cannot connect to podman|unable to connect to podman/i.test(result.stderr);
      return reportBroken(report, need, {
        version: client,
        detail: unreachable
          ? linux
            ? `podman cannot reach the service it is pointed at: ${message}`
            : `the podman machine is not running: ${message}`
          : `podman ${PODMAN_VERSION_ARGS.join(' ')} failed: ${message}`,
        hint: unreachable
          ? linux
            ? 'Check CONTAINER_HOST and `podman system connection list`: minikube runs the local podman.'
            : 'Start it: podman machine start (first podman machine init, when podman machine list shows none).'
          : 'Run `podman version` to see what is wrong.',
      });
    }

    const version = parseVersion(counted);
    if (version && compareVersions(version, versionConstant(MINIMUM_PODMAN_VERSION)) < 0) {
      return reportBroken(report, need, {
        version: counted,
        worst: 'warn',
        detail: `podman ${counted} is older than ${MINIMUM_PODMAN_VERSION}, the oldest minikube supports: it warns that its podman driver might not work`,
        hint: hintFor(os, {
          macos:
            'Upgrade podman: brew upgrade podman, then podman machine stop, podman machine rm and podman machine init.',
          windows: 'Upgrade podman: winget upgrade RedHat.Podman, then recreate the podman machine.',
          linux:
            'Upgrade podman (Debian 12 ships 4.3; Ubuntu 24.04, Fedora and Debian 13 ship newer): https://podman.io/docs/installation.',
        }),
      });
    }

    if (!linux) {
      return report({
        status: 'ok',
        version: counted,
        required: need.required,
        detail: `podman ${client ?? '?'}, podman machine ${counted}; minikube marks the podman driver experimental here`,
      });
    }
    if (rootless) {
      return report({
        status: 'ok',
        version: counted,
        required: need.required,
        detail: `podman ${counted}, rootless (${rootless})`,
      });
    }
    const asRoot = `podman ${counted}; minikube runs it as root through \`sudo -n podman\`, which needs passwordless sudo for podman, unless rootless mode is on`;
    if (!need.needed) return report({ status: 'ok', version: counted, detail: asRoot });
    return report({
      status: 'warn',
      version: counted,
      required: need.required,
      detail: asRoot,
      hint: 'Allow it: echo "$USER ALL=(ALL) NOPASSWD: $(command -v podman)" | sudo tee /etc/sudoers.d/minikube-podman; or run podman rootless: minikube config set rootless true (see https://minikube.sigs.k8s.io/docs/drivers/podman/).',
    });
  }),
);

/**
 * Where minikube is told to run podman rootless: MINIKUBE_ROOTLESS, or
 * `rootless: true` in its config file under MINIKUBE_HOME (~/.minikube).
 * null when neither says so.
 */
async function rootlessMode(ctx: CheckContext): Promise<string | null> {
  if (/^(1|t|true)$/i.test(ctx.env.MINIKUBE_ROOTLESS ?? '')) return 'MINIKUBE_ROOTLESS';
  const home = ctx.env.MINIKUBE_HOME;
  const dir = home
    ? path.basename(home) === '.minikube'
      ? home
      : path.join(home, '.minikube')
    : path.join(ctx.platform.homeDir, '.minikube');
  const file = path.join(dir, 'config', 'config.json');
  const text = await ctx.readTextFile(file);
  if (text === null) return null;
  try {
    const config = JSON.parse(text) as { rootless?: unknown };
    return config.rootless === true ? `rootless: true in ${file}` : null;
  } catch {
    return null;
  }
}
