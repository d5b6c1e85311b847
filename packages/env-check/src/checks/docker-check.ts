import type { OperatingSystem } from '@qed/core';
import type { CheckContext } from '../check-types.js';
import { defineCheck } from '../define-check.js';
import { hintFor } from '../hint-for.js';
import { firstLine, parseJsonObject, runTool } from '../run-tool.js';

const REQUIRED = 'the docker CLI and a running engine';

export const DOCKER_VERSION_ARGS = ['version', '--format', '{{json .}}'] as const;

const INSTALL_HINT = {
  macos:
    'Install Docker Desktop: brew install --cask docker (or https://docs.docker.com/desktop/setup/install/mac-install/), then start it.',
  windows:
    'Install Docker Desktop: winget install Docker.DockerDesktop (or choco install docker-desktop), then start it.',
  linux:
    'Install Docker Engine: https://docs.docker.com/engine/install/ (or sudo apt-get install docker.io).',
  wsl: 'Install Docker Desktop on Windows (winget install Docker.DockerDesktop) and turn on WSL integration for this distro (Settings > Resources > WSL integration).',
};

interface DockerVersion {
  Client?: { Version?: string; Context?: string } | null;
  Server?: { Version?: string; Platform?: { Name?: string } } | null;
}

/**
 * The docker CLI and an engine it can reach: the registry, image builds and the
 * docker driver all go through that engine, so an unreachable one blocks.
 */
export const dockerCheck = defineCheck('docker', 'Docker engine', async (ctx, report) => {
  const dockerHost = ctx.env.DOCKER_HOST || undefined;
  // The command runs with the environment the detail reports, whatever the runner inherited.
  const env = { DOCKER_HOST: dockerHost, DOCKER_CONTEXT: ctx.env.DOCKER_CONTEXT || undefined };
  const result = await runTool(ctx, { command: 'docker', args: DOCKER_VERSION_ARGS, env });
  if (!result) {
    return report({
      status: 'fail',
      detail: 'the docker CLI is not installed (not on PATH)',
      required: REQUIRED,
      hint: hintFor(ctx.platform.os, INSTALL_HINT),
    });
  }
  const json = parseJsonObject(result.stdout) as DockerVersion | null;
  const clientVersion = json?.Client?.Version ?? null;
  if (!json || !clientVersion) {
    return report({
      status: 'fail',
      detail: `could not read the output of docker ${DOCKER_VERSION_ARGS.join(' ')}: ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode}`}`,
      required: REQUIRED,
      hint: 'Run `docker version` to see what is wrong; reinstall Docker if it does not answer.',
    });
  }

  let target = `DOCKER_HOST=${dockerHost}`;
  if (!dockerHost) {
    // Clients since 20.10 name their context in the JSON; only older ones cost a second process.
    const context = json.Client?.Context ?? (await dockerContext(ctx, env));
    target = context ? `context ${context}` : 'the default context';
  }

  const server = json.Server;
  if (result.exitCode === 0 && server?.Version) {
    const platform = server.Platform?.Name ? ` (${server.Platform.Name})` : '';
    return report({
      status: 'ok',
      version: clientVersion,
      required: REQUIRED,
      detail: `client ${clientVersion}, engine ${server.Version}${platform} via ${target}`,
    });
  }
  const reason = firstLine(result.stderr) || `docker version exited with ${result.exitCode ?? result.signal}`;
  return report({
    status: 'fail',
    version: clientVersion,
    required: REQUIRED,
    detail: `client ${clientVersion}; the engine is not reachable via ${target}: ${reason}`,
    hint: engineHint(ctx.platform.os, result.stderr, dockerHost),
  });
});

async function dockerContext(
  ctx: CheckContext,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | null> {
  const result = await runTool(ctx, { command: 'docker', args: ['context', 'show'], env });
  return result?.exitCode === 0 ? firstLine(result.stdout) || null : null;
}

function engineHint(os: OperatingSystem, stderr: string, dockerHost: string | undefined): string {
  if (/permission denied/i.test(stderr)) {
    return 'Your user may not use the engine socket: sudo usermod -aG docker "$USER", then log out and back in (or run newgrp docker).';
  }
  if (/client version .* is too new/i.test(stderr)) {
    return 'The docker CLI is newer than the engine: upgrade the engine, or set DOCKER_API_VERSION to the API version the engine reports.';
  }
  if (dockerHost) {
    return `DOCKER_HOST is set to ${dockerHost}: start the engine there, or unset DOCKER_HOST to use your docker context (docker context ls).`;
  }
  return hintFor(os, {
    macos: 'Start Docker Desktop (open -a Docker) or your engine (e.g. colima start), then run doctor again.',
    windows: 'Start Docker Desktop and wait until it reports "Engine running", then run doctor again.',
    linux: 'Start the engine: sudo systemctl start docker (sudo systemctl enable docker starts it at boot).',
    wsl: 'Start Docker Desktop on Windows with WSL integration on for this distro (Settings > Resources > WSL integration), or start an engine inside WSL: sudo service docker start.',
  });
}
