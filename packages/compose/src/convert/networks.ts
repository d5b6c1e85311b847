import { type KubeObject, LABEL_NAME } from '@qed/manifests/kube-object';
import type { ComposeProject, ServiceModel } from '../model/compose-model.js';
import type { ComposeProblem, ComposeWarning } from '../source/compose-problem.js';
import { kubeName } from './kube-name.js';

/** The network compose puts a service on when it names none. */
const DEFAULT_NETWORK = 'default';

/** The pod label a network's NetworkPolicy selects by. */
export function networkLabel(network: string): string {
  return `compose.qed-bootstrap/network-${kubeName(network).slice(0, 40).replace(/-+$/, '')}`;
}

/** The networks a service's container is on: as listed, compose's default when none are; none off the bridge. */
export function networksOf(service: ServiceModel): string[] {
  const mode = service.networkMode;
  if (mode !== undefined && !['bridge', 'default'].includes(mode)) return [];
  return service.networks.length > 0 ? service.networks.map((n) => n.name) : [DEFAULT_NETWORK];
}

/**
 * `network_mode: service:X`: the service whose pod each one joins (followed through
 * chains: a joins b, which joins c, puts a in c's pod). A loop is a problem.
 */
export function networkModeJoins(services: readonly ServiceModel[], problems: ComposeProblem[]): Map<string, string> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const joinedOf = (service: ServiceModel) => /^service:(.+)$/.exec(service.networkMode ?? '')?.[1];
  const joins = new Map<string, string>();
  for (const service of services) {
    const chain = [service.name];
    for (let target = joinedOf(service); target !== undefined; target = byName.get(target) ? joinedOf(byName.get(target) as ServiceModel) : undefined) {
      if (chain.includes(target)) {
        problems.push({
          ...(service.keyAt.get('network_mode') ?? service.at),
          key: `services.${service.name}.network_mode`,
          message: `network_mode loops: ${[...chain, target].join(' -> ')}`,
        });
        chain.length = 1;
        break;
      }
      chain.push(target);
    }
    const last = chain[chain.length - 1];
    if (last !== undefined && chain.length > 1 && byName.has(last)) joins.set(service.name, last);
  }
  return joins;
}

/**
 * With --generate-network-policies: one NetworkPolicy per compose network a converted
 * pod is on, letting the pods on it (labelled by networkLabel) reach each other and
 * nothing else reach them; and for each pod with published ports, one letting anyone
 * reach those ports, as a published port is reachable from outside in compose.
 */
export function networkPoliciesOf(
  project: ComposeProject,
  pods: ReadonlyArray<{ name: string; networks: ReadonlySet<string>; publishedPorts: ReadonlyArray<{ port: number; protocol: string }> }>,
  labelsFor: (name: string) => Record<string, string>,
  warnings: ComposeWarning[],
): KubeObject[] {
  const used = [...new Set(pods.flatMap((p) => [...p.networks]))];
  const policies: KubeObject[] = [];
  for (const network of used) {
    const model = project.networks.get(network);
    const name = kubeName(model?.externalName ?? `${project.name}-${network}`);
    if (model?.external) {
      warnings.push({
        ...model.at,
        key: `networks.${network}.external`,
        message: `external network: only this project's pods on it can reach each other; containers outside the project are not in the cluster`,
      });
    }
    const selector = { matchLabels: { [networkLabel(network)]: 'true' } };
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, labels: labelsFor(name), annotations: { 'compose.qed-bootstrap/network': network } },
      spec: { podSelector: selector, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: selector }] }] },
    });
  }
  for (const pod of pods) {
    if (pod.publishedPorts.length === 0) continue;
    const name = kubeName(`${pod.name}-published`);
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, labels: labelsFor(name), annotations: { 'compose.qed-bootstrap/published-by': pod.name } },
      spec: {
        podSelector: { matchLabels: { [LABEL_NAME]: pod.name } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: pod.publishedPorts.map((p) => ({ port: p.port, protocol: p.protocol })) }],
      },
    });
  }
  for (const network of project.networks.values()) {
    for (const u of network.untranslated) warnings.push({ ...u.at, key: `networks.${network.name}.${u.key}`, message: `${u.key} is not translated: ${u.reason}` });
  }
  return policies;
}

/** Without --generate-network-policies: networks that would separate services are named, and the flag that does it. */
export function warnUnseparatedNetworks(project: ComposeProject, warnings: ComposeWarning[]): void {
  const hint = 'all pods share one cluster network; pass --generate-network-policies for a NetworkPolicy per network';
  for (const service of project.services) {
    const named = service.networks.filter((n) => n.name !== DEFAULT_NETWORK);
    if (named.length === 0) continue;
    warnings.push({
      ...(service.keyAt.get('networks') ?? service.at),
      service: service.name,
      key: `services.${service.name}.networks`,
      message: `networks ${named.map((n) => n.name).join(', ')} are not separated: ${hint}`,
    });
  }
  const declared = [...project.networks.values()].filter((n) => n.name !== DEFAULT_NETWORK);
  const [first] = declared;
  if (first) warnings.push({ ...first.at, key: 'networks', message: `top-level networks ${declared.map((n) => n.name).join(', ')} are not translated: ${hint}` });
}
