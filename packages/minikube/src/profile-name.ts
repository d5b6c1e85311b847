import { profileNameProblem, QedError } from '@qed/core';

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
