import type WebSocket from 'ws';
import { Channel, closeFrame, decodeFrame, encodeFrames, exitFromStatus, resizeFrame, V4_PROTOCOL, V5_PROTOCOL } from './channel-frames.js';
import type { KubeWebSocketApi } from './kube-websocket.js';

export interface ExecOptions {
  namespace: string;
  pod: string;
  /** Which container; the server asks for it when the pod has more than one. */
  container?: string;
  /** The program and its arguments, run without a shell. */
  command: readonly string[];
  /** Give the command a stdin to write to (then end it). */
  stdin?: boolean;
  /** A terminal: stdout and stderr become one stream, and resize() applies. */
  tty?: boolean;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** The subprotocols offered, most wanted first; default v5, then v4 for servers before 1.30. */
  protocols?: readonly string[];
  /** Ends the command's connection: `done` then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A command that ran to its end: its exit code (non-zero is not an error here). */
export interface ExecResult {
  exitCode: number;
}

/** The command ran in no sense that has an exit code: not found, the container gone, the connection cut. */
export class ExecFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecFailure';
  }
}

export interface ExecSession {
  /** The subprotocol the server chose. */
  readonly protocol: string;
  /**
   * Whether end() can close stdin alone (v5). Under v4 it cannot: a command that
   * reads stdin to its end (cat) never sees one; one that knows where its input
   * ends (tar, at the archive's end marker) finishes all the same.
   */
  readonly canCloseStdin: boolean;
  /** Resolves once the bytes are handed to the connection (backpressure for large inputs). */
  write(data: Uint8Array | string): Promise<void>;
  /** No more input: v5's close signal for stdin; nothing under v4. */
  end(): Promise<void>;
  /** A terminal's new size (tty only). */
  resize(width: number, height: number): void;
  /** The exit code when the command ends; rejects with ExecFailure when it did not run to one. */
  readonly done: Promise<ExecResult>;
  /** Ends the connection now; `done` rejects if the command had not ended. */
  close(): void;
}

/**
 * Runs a command in a running container over the exec API's WebSocket (what
 * `kubectl exec` does since 1.30), channel by channel: stdin, stdout, stderr,
 * resize, and the error channel whose Status says how it ended. The server's
 * refusal (no such pod or container, forbidden) rejects here with its KubeApiError.
 */
export async function execInContainer(api: KubeWebSocketApi, options: ExecOptions): Promise<ExecSession> {
  const ws = await api.webSocket({
    path: `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods/${encodeURIComponent(options.pod)}/exec`,
    query: {
      command: options.command,
      container: options.container,
      stdin: options.stdin ? 'true' : undefined,
      stdout: 'true',
      // A terminal has one output stream: the server refuses stderr with tty.
      stderr: options.tty ? undefined : 'true',
      tty: options.tty ? 'true' : undefined,
    },
    protocols: options.protocols ?? [V5_PROTOCOL, V4_PROTOCOL],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return new WebSocketExec(ws, options);
}

class WebSocketExec implements ExecSession {
  readonly protocol: string;
  readonly canCloseStdin: boolean;
  readonly done: Promise<ExecResult>;
  private readonly ws: WebSocket;

  constructor(ws: WebSocket, options: ExecOptions) {
    this.ws = ws;
    this.protocol = ws.protocol;
    this.canCloseStdin = ws.protocol === V5_PROTOCOL;
    const { signal } = options;
    this.done = new Promise<ExecResult>((resolve, reject) => {
      let ending: { exitCode: number } | { failure: string } | undefined;
      const onAbort = () => {
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        ws.terminate();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      ws.on('message', (message: Buffer) => {
        const frame = decodeFrame(message);
        if (!frame || frame.data.length === 0) return;
        if (frame.channel === Channel.stdout) options.onStdout?.(frame.data);
        else if (frame.channel === Channel.stderr) options.onStderr?.(frame.data);
        else if (frame.channel === Channel.error) ending = exitFromStatus(frame.data.toString('utf8'));
      });
      ws.on('error', () => undefined);
      ws.on('close', (code, reason) => {
        signal?.removeEventListener('abort', onAbort);
        if (ending && 'exitCode' in ending) resolve({ exitCode: ending.exitCode });
        else if (ending) reject(new ExecFailure(ending.failure));
        else if (this.protocol === V4_PROTOCOL || this.protocol === V5_PROTOCOL) {
          reject(new ExecFailure(`the connection closed before the command's exit status came (WebSocket close ${code}${reason.length ? `: ${reason.toString()}` : ''})`));
        } else resolve({ exitCode: 0 }); // Before v4 only a failure was reported.
      });
    });
    // A rejection nobody awaits yet (the caller is still writing) must not be reported as unhandled.
    this.done.catch(() => undefined);
    ws.resume();
  }

  async write(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (const frame of encodeFrames(Channel.stdin, bytes)) await this.send(frame);
  }

  async end(): Promise<void> {
    if (this.canCloseStdin) await this.send(closeFrame(Channel.stdin));
  }

  resize(width: number, height: number): void {
    this.ws.send(resizeFrame(width, height), () => undefined);
  }

  close(): void {
    this.ws.close();
  }

  private send(frame: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.send(frame, (error) => (error ? reject(new ExecFailure(`the connection closed while writing to the command: ${error.message}`)) : resolve()));
    });
  }
}

export interface RunInContainerOptions extends Omit<ExecOptions, 'stdin' | 'onStdout' | 'onStderr'> {
  /** Written to the command's stdin, which is then closed (v5; see ExecSession.canCloseStdin). */
  input?: Uint8Array | string;
}

/** A command run to its end, with what it printed. */
export interface RunResult extends ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  protocol: string;
}

/** Runs a command to its end and collects its output (`kubectl exec POD -- CMD`). */
export async function runInContainer(api: KubeWebSocketApi, options: RunInContainerOptions): Promise<RunResult> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const { input, ...rest } = options;
  const session = await execInContainer(api, {
    ...rest,
    stdin: input !== undefined,
    onStdout: (chunk) => stdout.push(chunk),
    onStderr: (chunk) => stderr.push(chunk),
  });
  if (input !== undefined) {
    // A command that ends before reading all its input closes the connection, failing
    // the write: how the command ended is what counts.
    await session
      .write(input)
      .then(() => session.end())
      .catch(() => undefined);
  }
  const { exitCode } = await session.done;
  return { exitCode, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), protocol: session.protocol };
}
