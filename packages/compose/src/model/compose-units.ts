/**
 * Compose's units: byte sizes (mem_limit: 512m, 1gb, 2048), Go durations
 * (interval: 1m30s, 500ms) and CPU counts (cpus: 0.5). Each returns undefined
 * for text it does not understand, and the caller names the key.
 */
const BYTE_FACTORS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

export function parseBytes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?\s*$/i.exec(value);
  if (!match?.[1]) return undefined;
  const factor = BYTE_FACTORS[(match[2] ?? '').toLowerCase()];
  return factor === undefined ? undefined : Math.floor(Number(match[1]) * factor);
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds, possibly fractional; a bare number counts as seconds, as older compose files write it. */
export function parseDurationSeconds(value: string | number): number | undefined {
  if (typeof value === 'number') return value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!match?.[1] || !match[2]) return undefined;
    total += Number(match[1]) * (DURATION_UNITS[match[2]] ?? 0);
    rest = rest.slice(match[0].length);
  }
  return text.length > 0 ? total : undefined;
}

export function parseCpus(value: string | number): number | undefined {
  const n = typeof value === 'number' ? value : /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Bytes as a Kubernetes quantity, in the largest binary unit that divides it: 536870912 -> 512Mi. */
export function bytesToQuantity(bytes: number): string {
  for (const [suffix, factor] of [['Ti', 1024 ** 4], ['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${suffix}`;
  }
  return String(bytes);
}

/** CPUs as a Kubernetes quantity: 0.5 -> 500m, 2 -> 2. */
export function cpusToQuantity(cpus: number): string {
  return Number.isInteger(cpus) ? String(cpus) : `${Math.max(1, Math.round(cpus * 1000))}m`;
}
