import type { Command } from 'commander';
import type { CliContext } from './cli-context.js';

export interface ClusterOptions {
  context?: string;
  namespace?: string;
}

/** --context and --namespace, as kubectl spells them. */
export function addClusterOptions(command: Command): Command {
  return command
    .option('--context <name>', 'kube context to use (default: the current one)')
    .option('-n, --namespace <ns>', 'namespace (default: namespace in qed.config.yaml, "qed")');
}

export async function resolveNamespace(ctx: CliContext, options: ClusterOptions): Promise<string> {
  return options.namespace ?? (await ctx.loadConfig()).config.namespace;
}

export async function connect(options: ClusterOptions) {
  const { connectCluster } = await import('@qed/manifests');
  return connectCluster(options.context ? { context: options.context } : {});
}
