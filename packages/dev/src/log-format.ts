import { styleText } from 'node:util';
import { QedError } from '@qed/core';

/** One colour a service, in this order (bright colours, as docker compose and tilt use them). */
const PALETTE = ['cyan', 'yellow', 'green', 'magenta', 'blue', 'red', 'cyanBright', 'yellowBright', 'greenBright', 'magentaBright', 'blueBright'] as const;

/**
 * The prefix of a log line: the label padded to `width`, then ` | `, the label in
 * the colour of its index when colour is on (NO_COLOR, --no-color and a
 * non-terminal turn it off: the caller passes Output's decision).
 */
export function logPrefix(label: string, width: number, index: number, color: boolean): string {
  const padded = label.padEnd(width);
  if (!color) return `${padded} | `;
  return `${styleText(PALETTE[index % PALETTE.length] ?? 'cyan', `${padded} |`, { validateStream: false })} `;
}

/**
 * What names a container's lines: the service (its workload), and the container
 * too when the workload runs more than one.
 */
export function logLabel(service: string, container: string, containersInWorkload: number): string {
  return containersInWorkload > 1 ? `${service}/${container}` : service;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `--since`: a duration such as 30s, 5m, 2h or 1h30m, in whole seconds (at least 1). */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new QedError('USAGE', `--since takes a duration such as 30s, 5m, 2h or 1h30m, not ${JSON.stringify(text)}`, {
      hint: 'For example `qed-bootstrap logs --since 10m`.',
    });
  }
  const seconds = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1), 0);
  return Math.max(1, Math.ceil(seconds));
}

/** A log line the server stamped (timestamps=true): its RFC 3339 time and its text. */
export function splitTimestamp(line: string): { time: string | undefined; text: string } {
  const space = line.indexOf(' ');
  const head = space < 0 ? line : line.slice(0, space);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(head)) return { time: undefined, text: line };
  return { time: head, text: space < 0 ? '' : line.slice(space + 1) };
}
