/**
 * Compose names (qed_django, cyan-wb, Worker.1) as Kubernetes object names: DNS
 * labels (RFC 1035, so they are valid Service names too): lower case, letters,
 * digits and '-', starting with a letter, at most 63 characters.
 */
const MAX = 63;

export function kubeName(composeName: string): string {
  let name = composeName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (name === '') name = 'unnamed';
  if (!/^[a-z]/.test(name)) name = `s-${name}`;
  return name.slice(0, MAX).replace(/-+$/, '');
}

/** Annotation keys and label keys as the API server accepts them ([prefix/]name). */
export function isValidAnnotationKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? '' : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix && (prefix.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix))) return false;
  return name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

export const ANNOTATION_SERVICE = 'compose.qed-bootstrap/service';
export const ANNOTATION_DEPENDS_ON = 'compose.qed-bootstrap/depends-on';
export const ANNOTATION_ALIAS_OF = 'compose.qed-bootstrap/alias-of';

/** Names most objects take (Secrets, ServiceAccounts, StorageClasses) and host names: RFC 1123 subdomains. */
export function isDnsSubdomain(name: string): boolean {
  return name.length > 0 && name.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);
}

/** A Kubernetes resource quantity as the API server parses it: 512Mi, 1.5Gi, 100m, 1e3. */
export function isQuantity(text: string): boolean {
  return /^[+]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+|E[+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/.test(text);
}

/** A key of a Secret's or ConfigMap's data: letters, digits, "-", "_" and ".". */
export function dataKey(name: string): string {
  const key = name.replace(/[^-._a-zA-Z0-9]+/g, '-').slice(0, 253);
  return key === '' || key === '.' || key === '..' ? 'value' : key;
}
