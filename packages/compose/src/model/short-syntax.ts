import type { PortMapping, Protocol } from './compose-model.js';

/**
 * The short string forms of ports and volumes. Each parser returns a message
 * instead of throwing; the caller attaches the file position and key path.
 */
const MAX_RANGE = 100;

export function parseProtocol(text: string | undefined): Protocol | undefined {
  const p = (text ?? 'tcp').toLowerCase();
  return p === 'tcp' ? 'TCP' : p === 'udp' ? 'UDP' : p === 'sctp' ? 'SCTP' : undefined;
}

/** "80", "8085:8080", "127.0.0.1:80:80", "[::1]:80:80", "8000-8002:9000-9002/udp" */
export function parsePortSpec(spec: string): PortMapping[] | string {
  let rest = spec.trim();
  let protocol: Protocol | undefined = 'TCP';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = parseProtocol(rest.slice(slash + 1));
    if (!protocol) return `unknown protocol "${rest.slice(slash + 1)}" (tcp, udp or sctp)`;
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6?.[1] !== undefined && v6[2] !== undefined) {
    hostIp = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  if (parts.length === 3 && hostIp === undefined) hostIp = parts.shift();
  if (parts.length > 2 || parts.length === 0) return `"${spec}" is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`;
  const targetText = parts.length === 2 ? parts[1] : parts[0];
  const publishedText = parts.length === 2 ? parts[0] : undefined;
  const targets = parseRange(targetText ?? '');
  if (typeof targets === 'string') return targets;
  let published: number[] | undefined;
  if (publishedText !== undefined && publishedText !== '') {
    const parsed = parseRange(publishedText);
    if (typeof parsed === 'string') return parsed;
    if (parsed.length === 1 && targets.length > 1) {
      published = targets.map((_, i) => (parsed[0] ?? 0) + i);
    } else if (parsed.length !== targets.length) {
      return `"${spec}": the host range and the container range differ in length`;
    } else {
      published = parsed;
    }
  }
  return targets.map((target, i) => ({
    target,
    protocol,
    ...(published?.[i] !== undefined ? { published: published[i] } : {}),
    ...(hostIp ? { hostIp } : {}),
  }));
}

function parseRange(text: string): number[] | string {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match?.[1]) return `"${text}" is not a port number or range`;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (from < 1 || to > 65535 || to < from) return `"${text}" is outside 1-65535`;
  if (to - from >= MAX_RANGE) return `the range "${text}" has more than ${MAX_RANGE} ports; list the ports a Service needs`;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export interface ShortVolume {
  source?: string;
  target: string;
  readOnly: boolean;
  /** Options compose accepts that mean nothing in Kubernetes (z, Z, cached, nocopy …). */
  ignoredOptions: string[];
}

const VOLUME_OPTIONS = new Set(['ro', 'rw', 'z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated', 'shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate', 'copy']);

/** "name:/path", "./dir:/path:ro", "/path", "C:\\data:/path" */
export function parseVolumeSpec(spec: string): ShortVolume | string {
  let text = spec;
  let drive = '';
  // A Windows drive letter's colon is part of the source, not a separator.
  const windows = /^([A-Za-z]:)([\\/].*)$/.exec(text);
  if (windows?.[1] && windows[2]) {
    drive = windows[1];
    text = windows[2];
  }
  const parts = text.split(':');
  if (parts.some((p) => p === '') && !(parts.length === 1 && drive)) return `"${spec}" has an empty part`;
  if (parts.length === 1) {
    if (drive) return `"${spec}" names a host folder but no container path`;
    return { target: parts[0] ?? '', readOnly: false, ignoredOptions: [] };
  }
  if (parts.length > 3) return `"${spec}" is not SOURCE:TARGET[:MODE]`;
  const [source = '', target = '', mode] = parts;
  const options = mode === undefined ? [] : mode.split(',');
  const unknown = options.filter((o) => !VOLUME_OPTIONS.has(o));
  if (unknown.length > 0) return `"${spec}": unknown mode ${unknown.join(', ')} (ro, rw, z, Z, nocopy …)`;
  if (!target.startsWith('/')) return `"${spec}": the container path "${target}" must be absolute`;
  return {
    source: drive + source,
    target,
    readOnly: options.includes('ro'),
    ignoredOptions: options.filter((o) => o !== 'ro' && o !== 'rw'),
  };
}

/** Compose's rule: a source that looks like a path is a bind mount, anything else names a volume. */
export function isHostPath(source: string): boolean {
  return /^([./~]|[A-Za-z]:[\\/]|\\\\)/.test(source);
}
