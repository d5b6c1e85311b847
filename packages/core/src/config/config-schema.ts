import { PROFILE_NAME_MAX_LENGTH, PROFILE_NAME_PATTERN, RESERVED_PROFILE_NAMES } from './profile-name.js';
import { REGISTRY_HOST_PATTERN } from './registry-endpoint.js';
import { CLUSTER_DRIVER_ALIASES, CLUSTER_DRIVERS, CONTAINER_RUNTIMES, QED_SERVICES, RETIRED_CLUSTER_DRIVERS } from './qed-config.js';

// DNS-1123 label, as Kubernetes requires of namespaces.
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/**
 * One minikube --extra-config entry, `component.key=value`, with the components
 * minikube accepts (bsutil.KubeadmExtraConfigOpts); the value may be empty.
 */
export const EXTRA_CONFIG_PATTERN =
  '^(apiserver|controller-manager|scheduler|etcd|kubeadm|kubelet|kube-proxy)\\.[A-Za-z0-9][A-Za-z0-9._-]*=.*$';
// A docker repository path: lowercase components separated by / . _ -
const IMAGE_NAME = '^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$';

/** JSON Schema of qed.config.yaml; every key optional (defaults fill the rest). */
export const qedConfigSchema = {
  $id: 'https://qed-bootstrap.dev/schema/qed.config.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    cluster: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // minikube's rule, the same one `cluster up` applies (profile-name.ts).
        profile: {
          type: 'string',
          pattern: PROFILE_NAME_PATTERN,
          maxLength: PROFILE_NAME_MAX_LENGTH,
          not: { enum: [...RESERVED_PROFILE_NAMES] },
        },
        // minikube's names, its aliases (qemu, kept as qemu2 on load) and retired
        // drivers, which load so that `cluster up` can say why they are refused.
        driver: { enum: [...CLUSTER_DRIVERS, ...Object.keys(CLUSTER_DRIVER_ALIASES), ...RETIRED_CLUSTER_DRIVERS] },
        hypervVirtualSwitch: { type: 'string', minLength: 1 },
        cpus: { type: 'integer', minimum: 2, maximum: 256 },
        memoryMb: { type: 'integer', minimum: 1800 },
        diskSizeMb: { type: 'integer', minimum: 2000 },
        kubernetesVersion: { type: 'string', pattern: '^(v?[0-9]+\\.[0-9]+\\.[0-9]+.*|stable|latest)$' },
        containerRuntime: { enum: [...CONTAINER_RUNTIMES] },
        extraConfig: { type: 'array', items: { type: 'string', pattern: EXTRA_CONFIG_PATTERN } },
      },
    },
    registry: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', pattern: REGISTRY_HOST_PATTERN },
        name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
      },
    },
    images: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'source'],
        properties: {
          name: { type: 'string', pattern: IMAGE_NAME },
          source: { type: 'string', minLength: 1 },
          context: { type: 'string', minLength: 1 },
          dockerfile: { type: 'string', minLength: 1 },
          args: { type: 'object', additionalProperties: { type: 'string' } },
          target: { type: 'string', minLength: 1 },
          sync: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['src', 'dest'],
              properties: { src: { type: 'string', minLength: 1 }, dest: { type: 'string', pattern: '^/' } },
            },
          },
        },
      },
    },
    services: { type: 'array', uniqueItems: true, items: { enum: [...QED_SERVICES] } },
    namespace: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
    dataRoot: { type: 'string', minLength: 1 },
  },
} as const;
