import { formatForwards, type ServicePortForward, startServiceForwards } from '@qed/dev';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, connect, resolveNamespace } from '../cluster-options.js';
import { aborted, untilInterrupted } from '../until-interrupted.js';

/**
 * `qed-bootstrap forward [services...]`: a port-forward for every port of the
 * Services (default all in the namespace), on 127.0.0.1, each on its own port when
 * free, else the next free one; re-established to the new pod when one is
 * replaced. Ctrl-C ends it (exit 0).
 */
export async function run(ctx: CliContext, options: GlobalOptions & ClusterOptions, args: string[]): Promise<number> {
  const { output } = ctx;
  const namespace = await resolveNamespace(ctx, options);
  const { api } = await connect(options);
  const interrupt = untilInterrupted();
  try {
    const forwards = await startServiceForwards(api, {
      namespace,
      services: args,
      signal: interrupt.signal,
      onNotice: forwardNotice(ctx),
    });
    try {
      printForwards(ctx, forwards.forwards, namespace);
      if (!output.mode.json) output.info('Ctrl-C stops forwarding.');
      await aborted(interrupt.signal);
    } finally {
      await forwards.close();
    }
  } finally {
    interrupt.dispose();
    api.close();
  }
  return 0;
}

/** What the forwards say as they go (a pod replaced, a connection refused): a line, or a `notice` object with --json. */
export function forwardNotice(ctx: CliContext): (message: string) => void {
  return (message) => (ctx.output.mode.json ? ctx.output.jsonLine({ type: 'notice', message }) : ctx.output.info(message));
}

/** The forwards, nginx first: one line each, or one JSON object each. */
export function printForwards(ctx: CliContext, forwards: readonly ServicePortForward[], namespace: string): void {
  const { output } = ctx;
  if (output.mode.json) {
    for (const forward of forwards) output.jsonLine({ type: 'forward', ...forward });
    return;
  }
  if (forwards.length === 0) {
    output.result(`No Service with a TCP port to forward in namespace ${namespace}.`);
    return;
  }
  for (const line of formatForwards(forwards)) output.result(line);
}
