import { Discovery, formatStatus, readStatus } from '@qed/manifests';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, connect, resolveNamespace } from '../cluster-options.js';

/** `qed-bootstrap status`: exit 0 when everything is ready, 1 otherwise. */
export async function run(ctx: CliContext, options: GlobalOptions & ClusterOptions): Promise<number> {
  const namespace = await resolveNamespace(ctx, options);
  const { api, context } = await connect(options);
  // minikube names the kube context after its profile.
  const { config } = await ctx.loadConfig();
  const status = await readStatus(api, new Discovery(api), namespace, context === config.cluster.profile ? { minikubeProfile: context } : {});
  if (ctx.output.mode.json) ctx.output.json(status);
  else ctx.output.result(formatStatus(status, (style, text) => ctx.output.paint(style, text)));
  return status.ready ? 0 : 1;
}
