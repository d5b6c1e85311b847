import { containersOf, podSpecOf, podTemplateOf } from '../pod-spec.js';
import { type FieldPath, isFields, setValueAt, valueAt } from '../records.js';
import type { ObjectMigration } from './object-migration.js';

/**
 * Fields the API server only takes as strings, written bare in the originals:
 * `value: 5432` or `value: true` under env, a number in a ConfigMap's data, a label
 * `version: 2` (and the selectors matching it). The server refuses them ("cannot unmarshal number into Go struct
 * field EnvVar.value of type string"); the text the author typed is the only
 * reading, so it is written back quoted. Other fields of a wrong type have no such
 * reading and are left for validation to report.
 */
export function quoteStringValues(migration: ObjectMigration): void {
  const { object } = migration;
  const quote = (path: FieldPath, what: string) => {
    const value = valueAt(object, path);
    if (typeof value !== 'number' && typeof value !== 'boolean') return;
    setValueAt(object, path, String(value));
    migration.change(path, `${what} ${String(value)} -> "${String(value)}" (the server takes only strings here)`);
  };
  const quoteAll = (mapPath: FieldPath, what: string) => {
    const map = valueAt(object, mapPath);
    if (isFields(map)) for (const key of Object.keys(map)) quote([...mapPath, key], `${what} ${key}`);
  };

  quoteAll(['metadata', 'labels'], 'label');
  quoteAll(['metadata', 'annotations'], 'annotation');
  if (object.kind === 'ConfigMap' && object.apiVersion === 'v1') quoteAll(['data'], 'ConfigMap data');
  if (object.kind === 'Secret' && object.apiVersion === 'v1') quoteAll(['stringData'], 'Secret stringData');
  // Selectors with the labels they select: quoting one side only would break the match.
  if (object.kind === 'Service') quoteAll(['spec', 'selector'], 'Service selector');
  if (object.kind === 'ReplicationController') quoteAll(['spec', 'selector'], 'selector');
  quoteAll(['spec', 'selector', 'matchLabels'], 'selector');
  const expressions = valueAt(object, ['spec', 'selector', 'matchExpressions']);
  if (Array.isArray(expressions)) {
    expressions.forEach((expression, e) => {
      const values = isFields(expression) ? expression.values : undefined;
      if (!Array.isArray(values)) return;
      for (let v = 0; v < values.length; v++) quote(['spec', 'selector', 'matchExpressions', e, 'values', v], 'selector value');
    });
  }
  const template = podTemplateOf(object);
  if (template) {
    quoteAll([...template.path, 'metadata', 'labels'], 'pod template label');
    quoteAll([...template.path, 'metadata', 'annotations'], 'pod template annotation');
  }
  const pod = podSpecOf(object);
  if (!pod) return;
  quoteAll([...pod.path, 'nodeSelector'], 'nodeSelector');
  for (const { container, path } of containersOf(pod.spec, pod.path)) {
    if (!Array.isArray(container.env)) continue;
    container.env.forEach((variable, e) => {
      const name = isFields(variable) && typeof variable.name === 'string' ? variable.name : `env[${e}]`;
      quote([...path, 'env', e, 'value'], `env ${name} value`);
    });
  }
}
