import { QedError } from '@qed/core';
import {
  type KubeApi,
  type KubeStreamApi,
  type KubeWebSocketApi,
  listenPortForward,
  type PortForwardListener,
  type PortForwardTarget,
  type WatchedObject,
  watch,
} from '@qed/kube';
import { bindStablePort } from './local-ports.js';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface ForwardedService {
  metadata: { name: string };
  spec?: { selector?: Record<string, string>; type?: string; ports?: ServicePort[] };
}

export interface EndpointSlice extends WatchedObject {
  metadata: WatchedObject['metadata'] & { labels?: Record<string, string> };
  ports?: Array<{ name?: string | null; port?: number | null; protocol?: string }> | null;
  endpoints?: Array<{ conditions?: { ready?: boolean | null; terminating?: boolean | null }; targetRef?: { kind?: string; name?: string } }> | null;
}

/** One port of one Service, forwarded to a local port. */
export interface ServicePortForward {
  service: string;
  /** The Service port's name ('' when it has one unnamed port). */
  portName: string;
  servicePort: number;
  localPort: number;
  url: string;
}

/** Services whose name says nginx first (the QED front door), then by name. */
export function orderServices<T extends { metadata: { name: string } }>(services: readonly T[]): T[] {
  const nginx = (s: T) => (s.metadata.name.includes('nginx') ? 0 : 1);
  return [...services].sort((a, b) => nginx(a) - nginx(b) || a.metadata.name.localeCompare(b.metadata.name));
}

/** Well-known ports that speak something other than HTTP: shown as tcp://. */
const NOT_HTTP = new Set([5432, 6379, 27017, 3306, 5672, 11211, 2379, 9042, 1433]);

/** How the local port is reached: https for 443 and ports named so, tcp for databases and queues, else http. */
export function forwardUrl(port: ServicePort, localPort: number): string {
  const hint = `${port.appProtocol ?? ''} ${port.name ?? ''}`.toLowerCase();
  const scheme = hint.includes('https') || port.port === 443 || port.port === 8443 ? 'https' : hint.includes('http') || !NOT_HTTP.has(port.port) ? 'http' : 'tcp';
  return `${scheme}://127.0.0.1:${localPort}`;
}

/** `service  URL -> service:port`, aligned. */
export function formatForwards(forwards: readonly ServicePortForward[]): string[] {
  const name = Math.max(0, ...forwards.map((f) => f.service.length));
  const url = Math.max(0, ...forwards.map((f) => f.url.length));
  return forwards.map((f) => `${f.service.padEnd(name)}  ${f.url.padEnd(url)} -> ${f.service}:${f.servicePort}${f.portName ? ` (${f.portName})` : ''}`);
}

/**
 * The pod and port that serve a Service port now, from its EndpointSlices: a
 * ready endpoint that is not terminating, the one used before while it still is
 * (connections stay on one pod until it goes), else the first by name.
 */
export function pickEndpoint(slices: readonly EndpointSlice[], portName: string, previous: string | undefined): { pod: string; port: number } | undefined {
  const candidates: Array<{ pod: string; port: number }> = [];
  for (const slice of slices) {
    const port = slice.ports?.find((p) => (p.name ?? '') === portName)?.port;
    if (!port) continue;
    for (const endpoint of slice.endpoints ?? []) {
      const { ready, terminating } = endpoint.conditions ?? {};
      // The API: an unset `ready` means ready.
      if (ready === false || terminating === true || endpoint.targetRef?.kind !== 'Pod' || !endpoint.targetRef.name) continue;
      candidates.push({ pod: endpoint.targetRef.name, port });
    }
  }
  return candidates.find((c) => c.pod === previous) ?? candidates.sort((a, b) => a.pod.localeCompare(b.pod))[0];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * The namespace's EndpointSlices, kept current by a watch: which pod serves each
 * Service port at this moment. A replaced pod is seen as its endpoint goes and
 * the new one becomes ready.
 */
class EndpointTargets {
  private readonly slices = new Map<string, EndpointSlice>();
  private readonly waiters = new Set<() => void>();
  private readonly used = new Map<string, string>();
  private readonly api: KubeApi & KubeStreamApi;
  private readonly namespace: string;
  private readonly signal: AbortSignal;
  private readonly onNotice: (message: string) => void;
  readonly watching: Promise<void>;

  constructor(api: KubeApi & KubeStreamApi, namespace: string, signal: AbortSignal, onNotice: (message: string) => void) {
    this.api = api;
    this.namespace = namespace;
    this.signal = signal;
    this.onNotice = onNotice;
    this.watching = this.run();
  }

  /** Where a new connection to the Service port goes; waits up to `waitMs` for a ready pod. */
  async target(service: string, portName: string, waitMs: number): Promise<PortForwardTarget> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      for (const wake of this.waiters) wake();
    }, waitMs);
    try {
      for (;;) {
        const slices = [...this.slices.values()].filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === service);
        const key = `${service}:${portName}`;
        const previous = this.used.get(key);
        const found = pickEndpoint(slices, portName, previous);
        if (found) {
          if (previous && previous !== found.pod) this.onNotice(`${service}: pod ${previous} is gone, forwarding to pod ${found.pod}`);
          this.used.set(key, found.pod);
          return { namespace: this.namespace, pod: found.pod, port: found.port };
        }
        if (timedOut || this.signal.aborted) {
          throw new Error(`service ${service} has no ready pod to forward to (waited ${Math.round(waitMs / 1000)} s)`);
        }
        await new Promise<void>((resolve) => this.waiters.add(resolve));
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private async run(): Promise<void> {
    const path = `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(this.namespace)}/endpointslices`;
    while (!this.signal.aborted) {
      try {
        for await (const event of watch<EndpointSlice>(this.api, { path, signal: this.signal })) {
          if (event.type === 'DELETED') this.slices.delete(event.object.metadata.name);
          else this.slices.set(event.object.metadata.name, event.object);
          const waiting = [...this.waiters];
          this.waiters.clear();
          for (const wake of waiting) wake();
        }
      } catch (error) {
        if (this.signal.aborted) break;
        this.onNotice(`watching the endpoints of namespace ${this.namespace} failed (${(error as Error).message}); trying again`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
    for (const wake of this.waiters) wake();
  }
}

export interface ServiceForwardsOptions {
  namespace: string;
  /** Service names; empty: every Service of the namespace with TCP ports and a selector. */
  services: readonly string[];
  /** Stops the forwards' watch; close() stops the rest. */
  signal: AbortSignal;
  /** A pod replaced, a connection that could not be carried, a watch tried again. */
  onNotice?(message: string): void;
  /** How long a new connection waits for a ready pod (during a rollout); default 30 s. */
  waitForPodMs?: number;
}

export interface ServiceForwards {
  forwards: ServicePortForward[];
  close(): Promise<void>;
}

/**
 * `kubectl port-forward svc/…` for every port of the Services, on 127.0.0.1 only:
 * each on its own port when free, else the next free one (bindStablePort). Each
 * new connection goes to a pod that is ready at that moment, so the forwards
 * outlive the pods behind them (rollouts, restarts).
 */
export async function startServiceForwards(api: KubeApi & KubeStreamApi & KubeWebSocketApi, options: ServiceForwardsOptions): Promise<ServiceForwards> {
  const { namespace } = options;
  const notice = options.onNotice ?? (() => undefined);
  const list = await api.request<{ items: ForwardedService[] }>({ method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/services` });
  const unknown = options.services.filter((name) => !list.items.some((s) => s.metadata.name === name));
  if (unknown.length > 0) {
    throw new QedError('USAGE', `no Service named ${unknown.join(', ')} in namespace ${namespace}`, {
      hint: `The Services there: ${list.items.map((s) => s.metadata.name).sort().join(', ') || 'none'}.`,
    });
  }
  const chosen = orderServices(list.items.filter((s) => options.services.length === 0 || options.services.includes(s.metadata.name)));
  const forwardable = chosen.filter((s) => {
    const tcp = (s.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
    const reason = !s.spec?.selector || Object.keys(s.spec.selector).length === 0 ? 'it selects no pods' : tcp.length === 0 ? 'it has no TCP port' : undefined;
    if (reason && options.services.includes(s.metadata.name)) notice(`${s.metadata.name}: not forwarded: ${reason}`);
    return !reason;
  });

  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal.addEventListener('abort', stop, { once: true });
  const targets = new EndpointTargets(api, namespace, controller.signal, notice);
  const listeners: PortForwardListener[] = [];
  const forwards: ServicePortForward[] = [];
  const close = async () => {
    controller.abort();
    options.signal.removeEventListener('abort', stop);
    await Promise.all(listeners.map((l) => l.close()));
    await targets.watching;
  };
  try {
    for (const service of forwardable) {
      const name = service.metadata.name;
      for (const port of (service.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP')) {
        const portName = port.name ?? '';
        const listener = await bindStablePort(port.port, (localPort) =>
          listenPortForward(api, {
            port: localPort,
            target: () => targets.target(name, portName, options.waitForPodMs ?? 30_000),
            onError: (error) => notice(`${name}: a connection to port ${port.port} failed: ${error.message}`),
          }),
        );
        listeners.push(listener);
        forwards.push({ service: name, portName, servicePort: port.port, localPort: listener.port, url: forwardUrl(port, listener.port) });
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { forwards, close };
}
