import { REDACTED, redactSecrets } from '@qed/core';

const SECRET_KEYS = new Set(['auth', 'password', 'identitytoken', 'registrytoken']);

/**
 * A copy of a parsed config safe to print: every credential inside `auths` (and
 * any credential-named key anywhere) replaced. Registry names stay, as they help.
 */
export function maskDockerConfig(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => maskDockerConfig(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDockerConfig(v, k)]));
  }
  return value;
}

/** For any text that might quote the file: redactSecrets already masks "auth": "…" shapes. */
export function redactDockerConfigText(text: string, knownSecrets: readonly string[] = []): string {
  return redactSecrets(text, knownSecrets);
}

/** Every credential value in a parsed config, to mask them wherever they might appear. */
export function credentialValues(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return SECRET_KEYS.has(key.toLowerCase()) && value.length > 0 ? [value] : [];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => credentialValues(v, k));
  }
  return [];
}
