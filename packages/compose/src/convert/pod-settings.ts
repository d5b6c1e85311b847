import type { ServiceModel } from '../model/compose-model.js';
import type { Location } from '../source/compose-problem.js';
import { isValidAnnotationKey, kubeName } from './kube-name.js';
import type { RunOnceRestart } from './workloads.js';

type Fields = Record<string, unknown>;
/** A warning about one of the service's keys (`key` relative to the service, like `deploy.labels`). */
type Warn = (key: string, message: string, at?: Location) => void;

/** The container's securityContext: user, privileged, capabilities, read_only. */
export function containerSecurityOf(service: ServiceModel, warn: Warn): Fields | undefined {
  const context: Fields = {};
  if (service.user !== undefined) {
    const numeric = /^(\d+)(?::(\d+))?$/.exec(service.user);
    if (numeric?.[1]) {
      context.runAsUser = Number(numeric[1]);
      if (numeric[2]) context.runAsGroup = Number(numeric[2]);
    } else {
      warn('user', `user "${service.user}" is not translated: Kubernetes needs numeric ids (runAsUser); look the id up in the image`);
    }
  }
  if (service.privileged) context.privileged = true;
  if (service.capAdd.length + service.capDrop.length > 0) {
    context.capabilities = {
      ...(service.capAdd.length ? { add: service.capAdd.map((c) => c.replace(/^CAP_/, '')) } : {}),
      ...(service.capDrop.length ? { drop: service.capDrop.map((c) => c.replace(/^CAP_/, '')) } : {}),
    };
  }
  if (service.readOnly) context.readOnlyRootFilesystem = true;
  return Object.keys(context).length > 0 ? context : undefined;
}

/** The pod's securityContext: fsGroup, and group_add's numeric ids as supplementalGroups (names are warned: Kubernetes takes ids). */
export function podSecurityOf(service: ServiceModel, fsGroup: number | undefined, warn: Warn): Fields | undefined {
  const groups = service.groupAdd.filter((g) => /^\d+$/.test(g)).map(Number);
  const named = service.groupAdd.filter((g) => !/^\d+$/.test(g));
  if (named.length > 0) warn('group_add', `group ${named.join(', ')} is not translated: Kubernetes needs numeric group ids (supplementalGroups); look the id up in the image`);
  const context = { ...(fsGroup !== undefined ? { fsGroup } : {}), ...(groups.length > 0 ? { supplementalGroups: [...new Set(groups)] } : {}) };
  return Object.keys(context).length > 0 ? context : undefined;
}

/** network_mode other than service:X (which shares a pod): host is the node's network; none and container:X have no counterpart. */
export function podNetworkOf(service: ServiceModel, warn: Warn): Fields {
  const mode = service.networkMode;
  if (mode === undefined || mode === 'bridge' || mode === 'default' || mode.startsWith('service:')) return {};
  if (mode === 'host') {
    warn('network_mode', 'host: the pod uses the network of the node it runs on (hostNetwork), and its ports are bound there');
    return { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' };
  }
  if (mode === 'none') warn('network_mode', 'none is not translated: every pod is on the cluster network; a NetworkPolicy can cut it off');
  else if (mode.startsWith('container:')) warn('network_mode', `${mode} is not translated: that container is not part of the project; use service:NAME for a service here`);
  else warn('network_mode', `"${mode}" is not translated: every pod is on the cluster network`);
  return {};
}

/**
 * domainname → the pod's subdomain, as kompose makes it; a subdomain is one DNS label,
 * so `example.com` becomes `example-com`. The pod's full name then ends in
 * <subdomain>.<namespace>.svc.<cluster domain>.
 */
export function subdomainOf(service: ServiceModel, warn: Warn): Fields {
  const domain = service.domainname;
  if (!domain) return {};
  const subdomain = kubeName(domain);
  warn(
    'domainname',
    `${domain} becomes the pod's subdomain ${subdomain}: its name is ${service.hostname ? kubeName(service.hostname) : '<pod>'}.${subdomain}.<namespace>.svc.<cluster domain>, resolvable when a headless Service named ${subdomain} selects it`,
  );
  return { subdomain };
}

/**
 * Whether the service runs to completion: restart `no` or `on-failure[:N]`, or
 * deploy.restart_policy condition `none` / `on-failure` (which wins, as in kompose).
 */
export function runOnceOf(service: ServiceModel, warn: Warn): RunOnceRestart | undefined {
  const policy = service.restartPolicy;
  if (policy?.condition !== undefined) {
    if (policy.condition === 'any') return undefined;
    const written = `deploy.restart_policy.condition ${policy.condition}`;
    if (policy.condition === 'none') return { restartPolicy: 'Never', key: 'deploy', written };
    return { restartPolicy: 'OnFailure', key: 'deploy', written, ...(policy.maxAttempts !== undefined ? { backoffLimit: policy.maxAttempts } : {}) };
  }
  const restart = service.restart;
  if (restart === undefined || restart === 'always' || restart === 'unless-stopped') return undefined;
  if (restart === 'no') return { restartPolicy: 'Never', key: 'restart', written: 'restart: no' };
  const onFailure = /^on-failure(?::(\d+))?$/.exec(restart);
  if (onFailure) return { restartPolicy: 'OnFailure', key: 'restart', written: `restart: ${restart}`, ...(onFailure[1] ? { backoffLimit: Number(onFailure[1]) } : {}) };
  warn('restart', `restart: "${restart}" is not a compose restart policy (no, always, on-failure, unless-stopped)`);
  return undefined;
}

/** deploy.labels other than kompose.*: labels of the workload, as kompose puts them; invalid ones are warned. */
export function workloadLabelsOf(service: ServiceModel, warn: Warn): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [label, value] of service.deployLabels) {
    if (label.startsWith('kompose.')) continue;
    if (isValidAnnotationKey(label) && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value) && value.length <= 63) labels[label] = value;
    else warn('deploy.labels', `${label}: ${value} is not a valid Kubernetes label (key, or a value of at most 63 letters, digits, "-", "_" and "."): left out`, service.deployLabelAt.get(label));
  }
  return labels;
}
