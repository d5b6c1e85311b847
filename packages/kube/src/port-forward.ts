import net from 'node:net';
import { PortForwardFrames, V4_PROTOCOL } from './channel-frames.js';
import type { KubeWebSocketApi } from './kube-websocket.js';

/** A port of one pod. */
export interface PortForwardTarget {
  namespace: string;
  pod: string;
  port: number;
}

/** The ws library's own buffer above which a local connection stops being read until it drains. */
const HIGH_WATER = 1024 * 1024;

/**
 * Carries one local TCP connection to a pod's port over a WebSocket of its own
 * (the portforward subresource, v4.channel.k8s.io: data on channel 0, the
 * server's error text on channel 1). The WebSocket protocol has no half-close, so
 * either side ending ends both. Resolves when the connection is over; rejects
 * with the server's refusal (no such pod) or its error (nothing listens on that
 * port in the pod), the local socket being destroyed either way.
 */
export async function forwardConnection(api: KubeWebSocketApi, target: PortForwardTarget, socket: net.Socket): Promise<void> {
  const { namespace, pod, port } = target;
  // Nothing is read from the local side until the pod's side is there to take it.
  socket.pause();
  let ws: Awaited<ReturnType<KubeWebSocketApi['webSocket']>>;
  try {
    ws = await api.webSocket({
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`,
      query: { ports: String(port) },
      protocols: [V4_PROTOCOL],
    });
  } catch (error) {
    socket.destroy();
    throw error;
  }
  const frames = new PortForwardFrames(port);
  return new Promise<void>((resolve, reject) => {
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
      socket.destroy();
      ws.terminate();
    };
    ws.on('message', (message: Buffer) => {
      let read: ReturnType<PortForwardFrames['read']>;
      try {
        read = frames.read(message);
      } catch (error) {
        fail(error as Error);
        return;
      }
      if (!read) return;
      if (read.kind === 'error') {
        fail(new Error(`pod ${pod} port ${port}: ${read.data.toString('utf8').trim()}`));
        return;
      }
      if (!socket.write(read.data)) {
        ws.pause();
        socket.once('drain', () => ws.resume());
      }
    });
    ws.on('error', (error) => fail(error));
    ws.on('close', () => {
      socket.end();
      if (failure) reject(failure);
      else resolve();
    });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of frames.write(chunk)) {
        ws.send(frame, () => {
          if (socket.isPaused() && ws.bufferedAmount < HIGH_WATER / 2) socket.resume();
        });
      }
      if (ws.bufferedAmount > HIGH_WATER) socket.pause();
    });
    socket.on('end', () => ws.close());
    // Nothing more can go either way: no need to wait for the server's close frame.
    socket.on('close', () => ws.terminate());
    socket.on('error', () => ws.terminate());
    ws.resume();
    socket.resume();
  });
}

export interface PortForwardListenOptions {
  /** The local port on 127.0.0.1 (nothing else is bound); 0 for any free one. */
  port: number;
  /** Where each new connection goes: asked again for every one, so a replaced pod is followed. */
  target(): Promise<PortForwardTarget>;
  /** A connection that could not be carried (no pod to go to, the pod refused it). */
  onError?(error: Error): void;
}

export interface PortForwardListener {
  /** The local port bound. */
  port: number;
  /** Stops listening and ends the connections being carried. */
  close(): Promise<void>;
}

/**
 * `kubectl port-forward` for one port: listens on 127.0.0.1 only and carries each
 * connection to the pod `target()` names at that moment. Binding fails as the
 * system says (EADDRINUSE: the caller picks another port).
 */
export async function listenPortForward(api: KubeWebSocketApi, options: PortForwardListenOptions): Promise<PortForwardListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    options
      .target()
      .then((target) => forwardConnection(api, target, socket))
      .catch((error: Error) => {
        socket.destroy();
        options.onError?.(error);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
