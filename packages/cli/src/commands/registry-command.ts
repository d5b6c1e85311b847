import { detectPlatform, parseRegistryEndpoint, QedError, requireConsent } from '@qed/core';
import { registryDown, registryStatus, registryUp } from '@qed/registry';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { confirm } from '../confirm.js';
import { openBackend } from '../open-backend.js';

interface RegistryCommandOptions extends GlobalOptions {
  port?: string;
  name?: string;
  purge?: boolean;
}

/** `qed-bootstrap registry up|status|down`: the local registry the cluster pulls from. */
export async function run(ctx: CliContext, options: RegistryCommandOptions, args: string[]): Promise<number> {
  const [action = 'status'] = args;
  const { output } = ctx;
  const { config, file } = await ctx.loadConfig();
  // Defaults come from registry.host / registry.name in qed.config.yaml.
  const port = options.port === undefined ? parseRegistryEndpoint(config.registry.host, file).port : Number(options.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new QedError('USAGE', `--port must be a port number, not "${options.port}"`, { hint: 'For example --port 5001.' });
  }
  const input = { port, name: options.name ?? config.registry.name };
  const show = (value: unknown, text: string) => (output.mode.json ? output.json(value) : output.result(text));

  if (action === 'up') {
    const platform = await detectPlatform();
    const result = await registryUp(input, { runner: ctx.runner, platform });
    const published = await publishWhenClusterAnswers(ctx, result.host);
    const done =
      result.action === 'none'
        ? `Registry ${result.name} is already running at ${result.host}.`
        : result.action === 'reuse'
          ? `Nothing started: ${result.reason}.`
          : `Registry ${result.name} ${result.action === 'start' ? 'started' : 'created'} at ${result.host} (data in volume ${result.name}-data).`;
    show({ ...result, localRegistryHosting: published }, `${done}\n${published}`);
    return 0;
  }
  if (action === 'status') {
    const status = await registryStatus(input, { runner: ctx.runner });
    show(
      status,
      `${status.name}: ${status.state}${status.healthy ? `, serving at ${status.host}` : ''}${status.repositories.length ? `\nrepositories:\n  ${status.repositories.join('\n  ')}` : status.healthy ? '\nno repositories yet' : ''}`,
    );
    return status.state === 'running' && status.healthy ? 0 : 1;
  }
  if (action === 'down') {
    const purge = options.purge === true;
    if (purge) {
      requireConsent(await confirm(ctx, `Delete the registry's data volume ${input.name}-data and every image in it?`, options), {
        action: `Deleting registry ${input.name} with its data volume ${input.name}-data and every image in it (--purge)`,
        flag: '--purge',
        data: { name: input.name, volume: `${input.name}-data` },
      });
    }
    const result = await registryDown({ ...input, purge }, { runner: ctx.runner });
    show(
      result,
      result.removed
        ? `Registry ${input.name} removed${result.volumeRemoved ? ', with its data' : `; its data stays in volume ${input.name}-data`}.`
        : `Nothing to do: ${result.reason ?? `no container named ${input.name}`}.`,
    );
    return 0;
  }
  throw new QedError('USAGE', `unknown registry action "${action}"`, { hint: 'Use one of: up, status, down.' });
}

/**
 * Tells the cluster where the registry is (the local-registry-hosting ConfigMap in
 * kube-public) when the current context answers and its backend knows how the
 * nodes reach this machine (minikube's context: by its driver's address);
 * otherwise says why not, or when it will be done. Never fails `registry up`.
 */
async function publishWhenClusterAnswers(ctx: CliContext, registryHost: string): Promise<string> {
  try {
    const { connectCluster, probeCluster } = await import('@qed/kube');
    const { LOCAL_REGISTRY_HOSTING_HELP, publishLocalRegistryHosting } = await import('@qed/registry');
    const connection = await connectCluster();
    const { api, context } = connection;
    const probe = await probeCluster(api, 3000);
    if (!probe.reachable) return `No cluster answers on context ${context}: run \`qed-bootstrap registry up\` again once it runs, to publish the registry to it.`;
    const backend = await openBackend(ctx, { kind: 'context', context }, { connection });
    const answer = await backend.registryHosting(registryHost);
    if (answer.hosting === null) return `Not published to context ${context}: ${answer.reason}.`;
    await publishLocalRegistryHosting(api, { hostFromHost: registryHost, ...answer.hosting, help: LOCAL_REGISTRY_HOSTING_HELP });
    return `Published kube-public/local-registry-hosting on ${context}: the cluster pulls from ${answer.hosting.hostFromContainerRuntime}.`;
  } catch (error) {
    return `Not published to a cluster: ${(error as Error).message}`;
  }
}
