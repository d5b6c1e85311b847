import { type CommandResult, QedError, describeCommand, tailLines } from '@qed/core';

/**
 * minikube ends a failed start with "Exiting due to <REASON_ID>: …" and an exit
 * code from its table (23 ExInsufficientMemory, 29 ExInsufficientCores, 38
 * ExHostConfig/virtualisation, 52 ExDriverNotFound, 56 ExDriverUnavailable). A
 * failure whose own words are known (`output`) is matched first, since its reason
 * id is a generic one; then the reason id (stable across releases), then the code.
 */
interface KnownFailure {
  code: string;
  reasons?: RegExp;
  exitCodes: readonly number[];
  /** Words of the failing component that minikube passes on. */
  output?: RegExp;
  what: string;
  hint: string;
}

const KNOWN_FAILURES: readonly KnownFailure[] = [
  {
    // Kubernetes >= 1.35 defaults the kubelet's failCgroupV1 to true. The kubelet's
    // own refusal (pkg/kubelet/apis/config/validation) and kubeadm's preflight
    // (system-validators' CgroupsValidator, an [ERROR SystemVerification] where
    // minikube does not skip that check, as on `none`).
    code: 'KUBELET_CGROUP_V1',
    exitCodes: [],
    output:
      /kubelet is configured to not run on a host using cgroup v1|\[ERROR SystemVerification\]: cgroups v1 support is deprecated/,
    what: 'this host uses cgroup v1, which the kubelet of Kubernetes 1.35 and later refuses by default',
    hint: 'Allow it in qed.config.yaml: `cluster.extraConfig: [kubelet.fail-cgroupv1=false]` (and `kubeadm.ignore-preflight-errors=SystemVerification` when kubeadm\'s preflight refused it), then run `qed-bootstrap cluster up` again; or use a host with cgroup v2 (`stat -fc %T /sys/fs/cgroup` prints cgroup2fs), or set cluster.kubernetesVersion below v1.35.',
  },
  {
    // A version newer than the release's own list is confirmed on GitHub; offline (or
    // behind a proxy) that lookup fails and minikube stops. Recorded from v1.38.1.
    code: 'KUBERNETES_VERSION_UNCONFIRMED',
    reasons: /INET_LOOKUP_HOST|K8S_TOO_NEW|KUBERNETES_TOO_NEW/,
    exitCodes: [],
    output: /not found in Kubernetes version list|is not supported by this release of minikube/,
    what: 'minikube does not know the Kubernetes version asked for, and could not confirm it online',
    hint: 'Set cluster.kubernetesVersion to one this minikube lists (`minikube config defaults kubernetes-version`), or leave it out for minikube\'s default; a newer version needs a connection to api.github.com (or a newer minikube).',
  },
  {
    code: 'NOT_ENOUGH_MEMORY',
    reasons: /RSRC_\w*MEMORY\w*/,
    exitCodes: [23],
    what: 'there is not enough memory for the cluster',
    hint: 'Lower the memory with --memory (or cluster.memoryMb; QED needs about 8192 MB), close other VMs, or for the docker driver raise the memory Docker Desktop may use (Settings > Resources).',
  },
  {
    code: 'NOT_ENOUGH_CPUS',
    reasons: /RSRC_\w*CORES\w*|RSRC_\w*CPU\w*/,
    exitCodes: [29],
    what: 'there are not enough CPUs for the cluster',
    hint: 'Lower --cpus (or cluster.cpus), or for the docker driver raise the CPUs Docker Desktop may use.',
  },
  {
    code: 'HYPERV_SWITCH_MISSING',
    reasons: /PR_HYPERV_\w*SWITCH\w*|HYPERV_\w*SWITCH\w*/,
    exitCodes: [],
    what: 'the Hyper-V virtual switch is missing',
    hint: 'List the switches with Get-VMSwitch (PowerShell as administrator) and pass --hyperv-virtual-switch with one of them, or create an External switch with New-VMSwitch.',
  },
  {
    code: 'VIRTUALIZATION_DISABLED',
    reasons: /HOST_VIRT_UNAVAILABLE|\w*VIRTUALIZATION\w*|PR_\w*_VTX\w*|VT-x/i,
    exitCodes: [],
    what: 'hardware virtualisation is not available',
    hint: 'Turn on VT-x / AMD-V in the BIOS/UEFI settings (and Hyper-V on Windows), or use --driver docker, which needs no hypervisor.',
  },
  {
    code: 'DRIVER_NOT_AVAILABLE',
    reasons: /DRV_\w+|PROVIDER_\w+_NOT_\w+|PROVIDER_\w+_ERROR/,
    exitCodes: [52, 56],
    what: 'the minikube driver is not installed or not running',
    hint: 'Install or start the driver (VirtualBox, Hyper-V or Docker Desktop), or pass --driver with another; `qed-bootstrap doctor` shows which are usable.',
  },
];

/** Turns a failed `minikube start` into the error that says what to do. */
export function startFailure(result: CommandResult): QedError {
  const output = `${result.stdout}\n${result.stderr}`;
  const reasonId = /Exiting due to ([A-Z][A-Z0-9_]+)/.exec(output)?.[1] ?? null;
  const known =
    KNOWN_FAILURES.find((f) => f.output?.test(output)) ??
    KNOWN_FAILURES.find((f) => reasonId !== null && f.reasons?.test(reasonId) === true) ??
    KNOWN_FAILURES.find((f) => result.exitCode !== null && f.exitCodes.includes(result.exitCode));
  const command = describeCommand({ command: result.command, args: result.args });
  const excerpt = tailLines(output.trim(), 10);
  const data = { command, exitCode: result.exitCode, reason: reasonId, output: excerpt };
  if (known) {
    return new QedError(known.code, `minikube could not start the cluster: ${known.what} (${reasonId ?? `exit ${result.exitCode}`})`, {
      hint: known.hint,
      data,
    });
  }
  return new QedError('MINIKUBE_START_FAILED', `minikube start failed (${reasonId ?? `exit ${result.exitCode}`})`, {
    hint: 'Read the output above; `minikube logs -p <profile>` has more. If the profile is broken, `qed-bootstrap cluster delete --yes` then `cluster up` creates it again.',
    data,
  });
}
