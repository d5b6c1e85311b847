import type { KubeObject } from '@qed/manifests/kube-object';
import type { KomposeSettings } from './kompose-labels.js';

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
  protocol: string;
}

export interface Exposure {
  service?: KubeObject;
  ingress?: KubeObject;
}

/**
 * The Service of a compose service's ports, shaped by kompose's labels (type,
 * node port, external traffic policy), and the Ingress kompose.service.expose asks
 * for, routing its hosts and paths to the Service's first port.
 */
export function exposureOf(options: {
  name: string;
  /** The value of the pods' name label: the workload's, which a service group shares. */
  selectorName: string;
  selectorLabel: string;
  metadata: KubeObject['metadata'];
  ports: ServicePort[];
  settings: KomposeSettings;
  warn: (label: string, message: string) => void;
}): Exposure {
  const { name, ports, settings, warn } = options;
  const type = settings.serviceType;
  const selector = { [options.selectorLabel]: options.selectorName };
  if (ports.length === 0) {
    if (type === 'Headless') {
      return { service: { apiVersion: 'v1', kind: 'Service', metadata: options.metadata, spec: { clusterIP: 'None', selector } } };
    }
    for (const label of ['kompose.service.type', 'kompose.service.expose', 'kompose.service.external-traffic-policy'] as const) {
      if (label === 'kompose.service.type' ? type !== undefined && type !== 'ClusterIP' : label === 'kompose.service.expose' ? settings.expose : settings.externalTrafficPolicy) {
        warn(label, 'the service has no ports or expose, so no Service is made and the label has nothing to act on');
      }
    }
    return {};
  }
  const external = type === 'NodePort' || type === 'LoadBalancer';
  if (settings.externalTrafficPolicy && !external) {
    warn('kompose.service.external-traffic-policy', `applies to NodePort and LoadBalancer Services only; this one is ${type ?? 'ClusterIP'}: ignored`);
  }
  const spec = {
    ...(external ? { type } : {}),
    ...(type === 'Headless' ? { clusterIP: 'None' } : {}),
    selector,
    ports: ports.map((p) => ({ ...p, ...(settings.nodePort !== undefined && type === 'NodePort' ? { nodePort: settings.nodePort } : {}) })),
    ...(settings.externalTrafficPolicy && external ? { externalTrafficPolicy: settings.externalTrafficPolicy } : {}),
  };
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: options.metadata, spec };
  const first = ports[0];
  if (!settings.expose || !first) return { service };
  return { service, ingress: ingressOf(name, options.metadata, first.port, settings.expose) };
}

function ingressOf(name: string, metadata: KubeObject['metadata'], port: number, expose: NonNullable<KomposeSettings['expose']>): KubeObject {
  // One rule per host, its paths in the order written.
  const byHost = new Map<string | undefined, string[]>();
  for (const route of expose.routes) {
    const paths = byHost.get(route.host) ?? [];
    if (!paths.includes(route.path)) paths.push(route.path);
    byHost.set(route.host, paths);
  }
  const backend = { service: { name, port: { number: port } } };
  const rules = [...byHost].map(([host, paths]) => ({
    ...(host ? { host } : {}),
    http: { paths: paths.map((path) => ({ path, pathType: 'Prefix', backend })) },
  }));
  const hosts = [...byHost.keys()].filter((h): h is string => h !== undefined);
  const tls = expose.tls ? [{ ...(hosts.length > 0 ? { hosts } : {}), ...(expose.tlsSecret ? { secretName: expose.tlsSecret } : {}) }] : undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata,
    spec: {
      ...(expose.ingressClassName ? { ingressClassName: expose.ingressClassName } : {}),
      ...(tls ? { tls } : {}),
      rules,
    },
  };
}
