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
  const { connectCluster } = await import('@qed/kube');
  return connectCluster(options.context ? { context: options.context } : {});
}

/** The cluster a validation asks for its dry run, and how the objects were checked, for the summary line. */
export interface ValidationServer {
  target?: { api: Awaited<ReturnType<typeof connect>>['api']; discovery: import('@qed/kube').Discovery };
  /** Completes "checked …". */
  how: string;
}

/**
 * The server's dry run when the cluster answers; otherwise the schema alone, saying
 * why. A missing or unreachable cluster is never an error here: validation must work
 * on a laptop with no cluster, it only checks less.
 */
export async function validationServer(options: ClusterOptions): Promise<ValidationServer> {
  const { Discovery, probeCluster } = await import('@qed/kube');
  try {
    const { api, context } = await connect(options);
    const probe = await probeCluster(api);
    if (!probe.reachable) return { how: `against the Kubernetes schema only: the cluster of context ${context} does not answer (${probe.reason})` };
    return {
      target: { api, discovery: new Discovery(api) },
      how: `against the Kubernetes schema and by the server's dry run on ${context} (Kubernetes ${probe.version})`,
    };
  } catch (error) {
    return { how: `against the Kubernetes schema only: ${(error as Error).message}` };
  }
}
