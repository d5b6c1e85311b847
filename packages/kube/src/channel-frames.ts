/**
 * The channel.k8s.io framing the API server speaks over a WebSocket (exec, attach,
 * port-forward): every binary message is one byte naming a channel, then that
 * channel's bytes. Exec's channels are stdin 0, stdout 1, stderr 2, error 3 (from
 * v4 on, the command's end as a JSON Status) and resize 4 (a terminal's size as
 * JSON); v5 adds a close signal, channel 255 followed by the channel being closed,
 * which is the only way to end stdin without ending the connection.
 */
export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export const V5_PROTOCOL = 'v5.channel.k8s.io';
export const V4_PROTOCOL = 'v4.channel.k8s.io';

/** One message: the channel's byte before the data. */
export function encodeFrame(channel: number, data: Uint8Array | string = new Uint8Array()): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const frame = Buffer.allocUnsafe(bytes.length + 1);
  frame[0] = channel;
  frame.set(bytes, 1);
  return frame;
}

/** v5's close signal for one channel (stdin, to say there is no more input). */
export function closeFrame(channel: number): Buffer {
  return Buffer.from([Channel.close, channel]);
}

/** The channel and data of a message; null for an empty one (the server may send those). */
export function decodeFrame(message: Buffer): { channel: number; data: Buffer } | null {
  if (message.length === 0) return null;
  return { channel: message[0] as number, data: message.subarray(1) };
}

/** At most this many bytes of data a message: far below any limit the API server or kubelet sets. */
export const MAX_FRAME_DATA = 32 * 1024;

/** Data cut into messages of at most MAX_FRAME_DATA bytes each. */
export function encodeFrames(channel: number, data: Uint8Array): Buffer[] {
  const frames: Buffer[] = [];
  for (let start = 0; start < data.length; start += MAX_FRAME_DATA) frames.push(encodeFrame(channel, data.subarray(start, start + MAX_FRAME_DATA)));
  return frames;
}

/** The Status the error channel carries when a command ends (v4 and later). */
export interface ExecStatus {
  status?: string;
  reason?: string;
  message?: string;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

/**
 * How a command ended, from the error channel's Status: Success is exit code 0,
 * NonZeroExitCode carries the code in its ExitCode cause; any other failure means
 * the command did not run to an exit code (not found, container gone): its message.
 */
export function exitFromStatus(text: string): { exitCode: number } | { failure: string } {
  let status: ExecStatus;
  try {
    status = JSON.parse(text) as ExecStatus;
  } catch {
    // Before v4 the channel carried plain text, and only on failure.
    return { failure: text.trim() || 'the exec failed without saying why' };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { exitCode: code };
  }
  return { failure: status.message?.trim() || text.trim() };
}

/** The terminal size message of the resize channel. */
export function resizeFrame(width: number, height: number): Buffer {
  return encodeFrame(Channel.resize, JSON.stringify({ Width: width, Height: height }));
}

/**
 * Port-forward's framing over one WebSocket for one port: channel 0 carries the
 * data both ways, channel 1 the server's error text. The first message the server
 * sends on each channel is the port number (two bytes, little-endian) and nothing
 * else is in it; the client sends its data without any such prefix.
 */
export class PortForwardFrames {
  private readonly port: number;
  private readonly prefixSeen = new Set<number>();

  constructor(port: number) {
    this.port = port;
  }

  /** What one message from the server says: data for the local connection, an error, or nothing (the port prefix). */
  read(message: Buffer): { kind: 'data' | 'error'; data: Buffer } | null {
    const frame = decodeFrame(message);
    if (!frame || (frame.channel !== 0 && frame.channel !== 1)) return null;
    let { data } = frame;
    if (!this.prefixSeen.has(frame.channel)) {
      if (data.length < 2) return null;
      const port = data.readUInt16LE(0);
      if (port !== this.port) throw new Error(`the server answered for port ${port}, not ${this.port}`);
      this.prefixSeen.add(frame.channel);
      data = data.subarray(2);
    }
    if (data.length === 0) return null;
    return { kind: frame.channel === 0 ? 'data' : 'error', data };
  }

  /** Local bytes as the messages to send. */
  write(data: Uint8Array): Buffer[] {
    return encodeFrames(0, data);
  }
}
