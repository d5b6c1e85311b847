/**
 * minikube names the VM or container, the kubeconfig context and the cluster after
 * the profile, so it refuses names that are not DNS- and container-name friendly,
 * and names of its own subcommands. Checking here fails before anything is
 * created, with a hint instead of minikube's MK_USAGE exit. The config schema
 * uses the same pattern for cluster.profile, so both refuse the same names.
 */
export const PROFILE_NAME_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$';
const PROFILE_NAME = new RegExp(PROFILE_NAME_PATTERN);
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
export const PROFILE_NAME_MAX_LENGTH = 63;

/** Why a name is refused, or null when minikube would accept it. */
export function profileNameProblem(name: string): string | null {
  if (name === '') return 'the profile name is empty';
  if (name.length > PROFILE_NAME_MAX_LENGTH) return `the profile name is longer than ${PROFILE_NAME_MAX_LENGTH} characters`;
  if (!PROFILE_NAME.test(name)) {
    return 'a profile name may hold only letters, digits, ".", "_" and "-", and must start and end with a letter or digit';
  }
  if (RESERVED_PROFILE_NAMES.includes(name.toLowerCase())) return `"${name}" is a minikube command name`;
  return null;
}
