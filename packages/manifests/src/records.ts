/**
 * Small helpers for rewriting parsed YAML in place. Key order matters because the
 * migrated files are written back for people to read and diff: a new field goes
 * where a person would have written it, a renamed one stays where it was.
 */
export type Fields = Record<string, unknown>;
export type FieldPath = ReadonlyArray<string | number>;

export function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The mapping at `path`, or undefined when any step is missing or not a mapping. */
export function fieldsAt(root: unknown, path: FieldPath): Fields | undefined {
  const value = valueAt(root, path);
  return isFields(value) ? value : undefined;
}

export function valueAt(root: unknown, path: FieldPath): unknown {
  let node: unknown = root;
  for (const step of path) {
    if (typeof step === 'number') node = Array.isArray(node) ? node[step] : undefined;
    else node = isFields(node) ? node[step] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Writes `value` at `path` inside `root`, which must already hold a value there. */
export function setValueAt(root: unknown, path: FieldPath, value: unknown): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isFields(parent) && typeof last === 'string') parent[last] = value;
}

/** Sets `key` just before `before` (or last when `before` is absent), moving it if it exists. */
export function setFieldBefore(record: Fields, key: string, value: unknown, before: string): void {
  const entries = Object.entries(record).filter(([k]) => k !== key);
  const index = entries.findIndex(([k]) => k === before);
  entries.splice(index < 0 ? entries.length : index, 0, [key, value]);
  replaceEntries(record, entries);
}

/** Renames `from` to `to` at the same position, with a new value. */
export function renameField(record: Fields, from: string, to: string, value: unknown): void {
  replaceEntries(
    record,
    Object.entries(record).map(([k, v]) => (k === from ? [to, value] : [k, v])),
  );
}

/** Removes `key`; says whether it was there. */
export function removeField(record: Fields, key: string): boolean {
  if (!Object.hasOwn(record, key)) return false;
  replaceEntries(
    record,
    Object.entries(record).filter(([k]) => k !== key),
  );
  return true;
}

/** `{app: qed-django, tier: web}`: a mapping as the change sentences show it. */
export function formatFlow(value: unknown): string {
  if (isFields(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${formatFlow(v)}`)
      .join(', ')}}`;
  if (Array.isArray(value)) return `[${value.map(formatFlow).join(', ')}]`;
  return String(value);
}

// Rewrites the object itself rather than returning a copy, so that parents keep
// pointing at it; rebuilding the keys is what keeps their order.
function replaceEntries(record: Fields, entries: Array<[string, unknown]>): void {
  for (const key of Object.keys(record)) Reflect.deleteProperty(record, key);
  for (const [key, value] of entries) record[key] = value;
}
