/**
 * The kubernetes-models module of one kind, e.g. `kubernetes-models/apps/v1/Deployment`,
 * imported when an object of that kind is first validated. The specifier is
 * computed, which a bundler cannot follow: the published bundle
 * (packages/qed-bootstrap/scripts/bundle.mjs) puts in place of this module a table
 * of every kind's import, each its own chunk, loaded on first use as here.
 */
export function importKubeModel(specifier: string): Promise<Record<string, unknown>> {
  return import(specifier) as Promise<Record<string, unknown>>;
}
