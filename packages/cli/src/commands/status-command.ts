import { Discovery } from '@qed/kube';
import { formatStatus, readStatus } from '@qed/manifests';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, connect, resolveNamespace } from '../cluster-options.js';
import { openBackend } from '../open-backend.js';

/** `qed-bootstrap status`: exit 0 when everything is ready, 1 otherwise. */
export async function run(ctx: CliContext, options: GlobalOptions & ClusterOptions): Promise<number> {
  const namespace = await resolveNamespace(ctx, options);
  const connection = await connect(options);
  const { api, context } = connection;
  // How a Service is reached is the backend's: `minikube service` on a context minikube made, a port-forward elsewhere.
  const backend = await openBackend(ctx, { kind: 'context', context }, { connection });
  const status = await readStatus(api, new Discovery(api), namespace, { serviceAccess: (service) => backend.serviceAccess(service) });
  if (ctx.output.mode.json) ctx.output.json(status);
  else ctx.output.result(formatStatus(status, (style, text) => ctx.output.paint(style, text)));
  return status.ready ? 0 : 1;
}
