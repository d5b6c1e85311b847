import { podSpecOf, podTemplateOf } from '../pod-spec.js';
import { type FieldPath, isFields, valueAt } from '../records.js';
import type { ObjectMigration } from './object-migration.js';

/**
 * Fields the API server only takes as strings, written bare in the originals:
 * `value: 5432` or `value: true` under env, a number in a ConfigMap's data, a label
 * `version: 2`. The server refuses them ("cannot unmarshal number into Go struct
 * field EnvVar.value of type string"); the text the author typed is the only
 * reading, so it is written back quoted. Other fields of a wrong type have no such
 * reading and are left for validation to report.
 */
export function quoteStringValues(migration: ObjectMigration): void {
  const { object } = migration;
  const quote = (path: FieldPath, what: string) => {
    const holder = valueAt(object, path.slice(0, -1));
    const key = path[path.length - 1];
    if (!isFields(holder) || typeof key !== 'string') return;
    const value = holder[key];
    if (typeof value !== 'number' && typeof value !== 'boolean') return;
    holder[key] = String(value);
    migration.change(path, `${what} ${String(value)} -> "${String(value)}" (the server takes only strings here)`);
  };
  const quoteAll = (mapPath: FieldPath, what: string) => {
    const map = valueAt(object, mapPath);
    if (isFields(map)) for (const key of Object.keys(map)) quote([...mapPath, key], `${what} ${key}`);
  };

  quoteAll(['metadata', 'labels'], 'label');
  quoteAll(['metadata', 'annotations'], 'annotation');
  if (object.kind === 'ConfigMap' && object.apiVersion === 'v1') quoteAll(['data'], 'ConfigMap data');
  const template = podTemplateOf(object);
  if (template) {
    quoteAll([...template.path, 'metadata', 'labels'], 'pod template label');
    quoteAll([...template.path, 'metadata', 'annotations'], 'pod template annotation');
  }
  const pod = podSpecOf(object);
  if (!pod) return;
  for (const field of ['initContainers', 'containers']) {
    const containers = valueAt(object, [...pod.path, field]);
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, c) => {
      const env = isFields(container) ? container.env : undefined;
      if (!Array.isArray(env)) return;
      env.forEach((variable, e) => {
        const name = isFields(variable) && typeof variable.name === 'string' ? variable.name : `env[${e}]`;
        quote([...pod.path, field, c, 'env', e, 'value'], `env ${name} value`);
      });
    });
  }
}
