import { QedError } from '@qed/core';

/**
 * minikube names the VM or container, the kubeconfig context and the cluster after
 * the profile, so it refuses names that are not DNS- and container-name friendly,
 * and names of its own subcommands. Checking here fails before anything is
 * created, with a hint instead of minikube's MK_USAGE exit.
 */
const PROFILE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
/** Subcommand names minikube reserves (`minikube start -p start` would be ambiguous). */
export const RESERVED_PROFILE_NAMES: readonly string[] = [
  'start',
  'stop',
  'status',
  'delete',
  'config',
  'open',
  'profile',
  'addons',
  'cache',
  'logs',
];
/** A DNS label's limit: the node's hostname is derived from the profile. */
const MAX_LENGTH = 63;

/** Why a name is refused, or null when minikube would accept it. */
export function profileNameProblem(name: string): string | null {
  if (name === '') return 'the profile name is empty';
  if (name.length > MAX_LENGTH) return `the profile name is longer than ${MAX_LENGTH} characters`;
  if (!PROFILE_NAME.test(name)) {
    return 'a profile name may hold only letters, digits, ".", "_" and "-", and must start and end with a letter or digit';
  }
  if (RESERVED_PROFILE_NAMES.includes(name.toLowerCase())) return `"${name}" is a minikube command name`;
  return null;
}

export function validateProfileName(name: string): string {
  const problem = profileNameProblem(name);
  if (problem) {
    throw new QedError('INVALID_PROFILE_NAME', `Invalid minikube profile name "${name}": ${problem}`, {
      hint: 'Pass -p with a name such as "qed" or "qed-dev", or set cluster.profile in qed.config.yaml.',
      data: { profile: name },
    });
  }
  return name;
}
