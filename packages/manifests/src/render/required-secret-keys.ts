import { type BaseService, loadBase } from './load-base.js';
import { SECRET_NAME } from './render-types.js';
import { secretRefsOf } from './secret-refs.js';

/** Every key the base takes from qed-secrets, sorted. */
export async function requiredSecretKeys(manifestsDir: string): Promise<string[]> {
  return secretKeysOf(await loadBase(manifestsDir));
}

/** The qed-secrets keys some of the given services reference, sorted. */
export function secretKeysOf(services: readonly BaseService[]): string[] {
  const keys = new Set<string>();
  for (const service of services) {
    for (const { object } of service.objects) {
      for (const ref of secretRefsOf(object)) {
        if (ref.secretName === SECRET_NAME && ref.key !== undefined) keys.add(ref.key);
      }
    }
  }
  return [...keys].sort();
}
