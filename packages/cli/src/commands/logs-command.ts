import { QedError } from '@qed/core';
import { type LogLine, logLabel, logPrefix, type NamedWorkload, parseDuration, resolveWorkloads, streamServiceLogs } from '@qed/dev';
import type { CliContext, GlobalOptions } from '../cli-context.js';
import { type ClusterOptions, connect, resolveNamespace } from '../cluster-options.js';
import { untilInterrupted } from '../until-interrupted.js';

interface LogsOptions extends GlobalOptions, ClusterOptions {
  follow?: boolean;
  since?: string;
  tail?: string;
}

/** Lines of each running container when neither --tail nor --since says otherwise (as `kubectl logs -l`). */
const DEFAULT_TAIL = 10;

/**
 * `qed-bootstrap logs [services...] [-f] [--since D] [--tail N]`: every pod of the
 * services (their Deployments, StatefulSets, DaemonSets; default all), interleaved,
 * each line behind a coloured `service |`; with -f the new pods of a rollout too.
 * --json prints one object a line. Ctrl-C ends it (exit 0).
 */
export async function run(ctx: CliContext, options: LogsOptions, args: string[]): Promise<number> {
  const { output } = ctx;
  const namespace = await resolveNamespace(ctx, options);
  const sinceSeconds = options.since === undefined ? undefined : parseDuration(options.since);
  const tailLines = parseTail(options.tail, sinceSeconds !== undefined);
  const { api } = await connect(options);
  const workloads = await resolveWorkloads(api, namespace, args);
  const interrupt = untilInterrupted();
  try {
    await streamServiceLogs(api, {
      namespace,
      workloads,
      follow: options.follow === true,
      ...(sinceSeconds === undefined ? {} : { sinceSeconds }),
      ...(tailLines === undefined ? {} : { tailLines }),
      signal: interrupt.signal,
      // Without names, every workload: those deployed while it follows too.
      ...(args.length === 0 ? { takeUp: () => true } : {}),
      onLine: logPrinter(ctx, workloads),
      onWarning: (message) => output.warn(message),
    });
  } finally {
    interrupt.dispose();
    api.close();
  }
  return 0;
}

/**
 * Prints each log line behind its coloured `service |` (one JSON object a line
 * with --json): what `logs` and `dev` show. Labels and colours are fixed up front,
 * so a service keeps its colour and the bars line up.
 */
export function logPrinter(ctx: CliContext, workloads: readonly NamedWorkload[]): (line: LogLine) => void {
  const { output } = ctx;
  const labels = workloads.flatMap((w) => w.containers.map((c) => logLabel(w.name, c, w.containers.length)));
  let width = Math.max(0, ...labels.map((l) => l.length));
  const colourOf = new Map(workloads.map((w, i) => [w.name, i]));
  return (line) => {
    if (output.mode.json) {
      output.jsonLine({ type: 'log', service: line.service, pod: line.pod, container: line.container, time: line.time, line: line.text });
      return;
    }
    width = Math.max(width, line.label.length);
    // A service taken up after the start gets the next colour.
    if (!colourOf.has(line.service)) colourOf.set(line.service, colourOf.size);
    output.result(`${logPrefix(line.label, width, colourOf.get(line.service) ?? 0, output.mode.color)}${line.text}`);
  };
}

/** --tail N (-1: all); by default 10, or all when --since bounds them. */
function parseTail(value: string | undefined, since: boolean): number | undefined {
  if (value === undefined) return since ? undefined : DEFAULT_TAIL;
  const lines = Number(value);
  if (!Number.isInteger(lines) || lines < -1) {
    throw new QedError('USAGE', `--tail takes a number of lines (-1 for all), not ${JSON.stringify(value)}`, { hint: 'For example --tail 50.' });
  }
  return lines === -1 ? undefined : lines;
}
