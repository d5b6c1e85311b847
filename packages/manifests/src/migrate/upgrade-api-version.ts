import { DEPRECATION_GUIDE, type RemovedApi, removedApi } from '../removed-apis.js';
import type { ObjectMigration } from './object-migration.js';
import {
  type FieldPath,
  type Fields,
  fieldsAt,
  formatFlow,
  isFields,
  removeField,
  renameField,
  setFieldBefore,
  valueAt,
} from '../records.js';

type Convert = (migration: ObjectMigration, from: string) => void;

/**
 * Field-level conversion for the upgrades in REMOVED_APIS that are not a plain
 * rename (same schema, new apiVersion).
 */
function converterFor(api: RemovedApi): Convert | undefined {
  if (api.replacement === 'apps/v1') return convertWorkload;
  if (api.kind === 'Ingress') return convertIngress;
  // autoscaling/v2beta2 and v2 share one metric shape; only v2beta1 spelled it differently.
  if (api.apiVersion === 'autoscaling/v2beta1') return convertHpaMetrics;
  if (api.kind === 'PodDisruptionBudget') return checkPdbSelector;
  return undefined;
}

const BY_HAND: Record<string, string> = {
  CustomResourceDefinition:
    'apiextensions.k8s.io/v1beta1 CustomResourceDefinitions need a hand conversion to apiextensions.k8s.io/v1 ' +
    '(a structural schema per version, conversion and pruning settings); migrate left it unchanged. See ' +
    'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/',
  PodSecurityPolicy:
    'PodSecurityPolicy was removed in Kubernetes 1.25 with no replacement object; migrate left it unchanged. ' +
    'Use Pod Security Admission labels on the namespace instead: https://kubernetes.io/docs/concepts/security/pod-security-admission/',
};

/**
 * Moves the object to the API version current Kubernetes serves, converting fields
 * that changed. A removed API migrate has no rule for is left as it is, with a
 * warning: guessing a conversion would hand the user a file that looks migrated and is not.
 */
export function upgradeApiVersion(migration: ObjectMigration): void {
  const { object } = migration;
  const from = object.apiVersion;
  const removed = removedApi(from, object.kind);
  if (!removed) return;
  if (!removed.migrated || removed.replacement === null) {
    migration.warn(
      ['apiVersion'],
      BY_HAND[object.kind] ??
        `${from} ${object.kind} is no longer served by Kubernetes and migrate has no rule for it; ` +
          `convert it by hand (${DEPRECATION_GUIDE}). It was left unchanged.`,
    );
    return;
  }
  object.apiVersion = removed.replacement;
  migration.change(['apiVersion'], `apiVersion ${from} -> ${removed.replacement}`);
  converterFor(removed)?.(migration, from);
}

/** Fields apps/v1 rejects as unknown (and strict field validation refuses). */
const REMOVED_WORKLOAD_FIELDS: Record<string, Record<string, string>> = {
  Deployment: { rollbackTo: 'apps/v1 has no rollback field; roll back with `kubectl rollout undo`' },
  DaemonSet: { templateGeneration: 'apps/v1 tracks template revisions itself' },
};

function convertWorkload(migration: ObjectMigration, from: string): void {
  const { object } = migration;
  const spec = fieldsAt(object, ['spec']);
  if (!spec) {
    migration.problem(['spec'], `apps/v1 ${object.kind} needs a spec with a selector and a pod template`);
    return;
  }
  if (spec.selector === undefined || spec.selector === null) {
    // The old versions defaulted the selector to the template's labels; writing that
    // default down keeps the object selecting the pods it selected, and the selector
    // of an existing object (immutable in apps/v1) unchanged.
    const labels = fieldsAt(spec, ['template', 'metadata', 'labels']);
    if (labels && Object.keys(labels).length > 0) {
      setFieldBefore(spec, 'selector', { matchLabels: { ...labels } }, 'template');
      migration.change(
        ['spec', 'template', 'metadata', 'labels'],
        `added spec.selector.matchLabels ${formatFlow(labels)} from the pod template labels`,
      );
    } else {
      migration.problem(
        ['spec', 'template', 'metadata'],
        'apps/v1 requires spec.selector, and the pod template has no labels to copy it from: ' +
          'add labels to spec.template.metadata.labels (migrate then adds the matching selector)',
      );
    }
  }
  for (const [field, why] of Object.entries(REMOVED_WORKLOAD_FIELDS[object.kind] ?? {})) {
    if (removeField(spec, field)) migration.change(['spec', field], `removed spec.${field} (${why})`);
  }
  // The update strategy's default changed from OnDelete to RollingUpdate: after the
  // upgrade a template change replaces running pods where it used to wait for them.
  const onDeleteBefore =
    (object.kind === 'DaemonSet' && from === 'extensions/v1beta1') ||
    (object.kind === 'StatefulSet' && from === 'apps/v1beta1');
  if (onDeleteBefore && spec.updateStrategy === undefined) {
    migration.warn(
      ['spec'],
      `${from} defaulted spec.updateStrategy to OnDelete, apps/v1 to RollingUpdate: a changed pod template now replaces ` +
        'running pods; set spec.updateStrategy.type: OnDelete to keep the old behaviour',
    );
  }
}

function convertIngress(migration: ObjectMigration): void {
  const spec = fieldsAt(migration.object, ['spec']);
  if (!spec) return;
  if (isFields(spec.backend)) {
    renameField(
      spec,
      'backend',
      'defaultBackend',
      convertIngressBackend(migration, ['spec', 'backend'], spec.backend, 'spec.backend'),
    );
    migration.change(['spec', 'backend'], 'spec.backend -> spec.defaultBackend');
  }
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((rule, r) => {
    const paths = valueAt(rule, ['http', 'paths']);
    if (!Array.isArray(paths)) return;
    paths.forEach((entry, p) => {
      if (!isFields(entry)) return;
      const at: FieldPath = ['spec', 'rules', r, 'http', 'paths', p];
      const where = `spec.rules[${r}].http.paths[${p}]`;
      if (isFields(entry.backend)) {
        entry.backend = convertIngressBackend(
          migration,
          [...at, 'backend'],
          entry.backend,
          `${where}.backend`,
        );
      }
      if (entry.pathType === undefined) {
        setFieldBefore(entry, 'pathType', 'ImplementationSpecific', 'backend');
        // ImplementationSpecific is what every v1beta1 path was: matching left to the controller.
        migration.change(
          at,
          `added ${where}.pathType: ImplementationSpecific (networking.k8s.io/v1 requires one)`,
        );
      }
    });
  });
}

function convertIngressBackend(
  migration: ObjectMigration,
  at: FieldPath,
  backend: Fields,
  label: string,
): Fields {
  if (backend.serviceName === undefined && backend.servicePort === undefined) return backend;
  const { serviceName, servicePort, ...rest } = backend;
  // servicePort was an int-or-string: a number, or the name of a Service port. A quoted
  // number ("80") was never a valid port name, so it is read as the number meant.
  const port =
    typeof servicePort === 'number' || (typeof servicePort === 'string' && /^\d+$/.test(servicePort))
      ? { number: Number(servicePort) }
      : { name: servicePort };
  const converted: Fields = { service: { name: serviceName, port }, ...rest };
  migration.change(at, `${label} serviceName/servicePort -> service ${formatFlow(converted.service)}`);
  return converted;
}

/** autoscaling/v2beta1 spelled each metric's target differently; v2beta2 and v2 share one shape. */
function convertHpaMetrics(migration: ObjectMigration): void {
  const metrics = valueAt(migration.object, ['spec', 'metrics']);
  if (!Array.isArray(metrics)) return;
  metrics.forEach((metric, i) => {
    if (!isFields(metric)) return;
    const at: FieldPath = ['spec', 'metrics', i];
    const converted = convertV2beta1Metric(metric);
    if (!converted) {
      migration.warn(
        at,
        `spec.metrics[${i}] of type ${String(metric.type)} has no autoscaling/v2 conversion; check it by hand`,
      );
      return;
    }
    metrics[i] = converted.metric;
    migration.change(at, `spec.metrics[${i}] (${String(metric.type)}): ${converted.sentence}`);
  });
}

function convertV2beta1Metric(metric: Fields): { metric: Fields; sentence: string } | null {
  const type = metric.type;
  const source = isFields(metric[lowerFirst(String(type))])
    ? (metric[lowerFirst(String(type))] as Fields)
    : {};
  const target = (value: Fields, old: string) => ({
    target: value,
    sentence: `${old} -> target ${formatFlow(value)}`,
  });
  const averageOrValue = (average: unknown, value: unknown) =>
    average !== undefined
      ? target({ type: 'AverageValue', averageValue: average }, `targetAverageValue ${String(average)}`)
      : target({ type: 'Value', value }, `targetValue ${String(value)}`);
  const metricId = (name: unknown, selector: unknown) => ({
    name,
    ...(selector !== undefined ? { selector } : {}),
  });
  switch (type) {
    case 'Resource': {
      const t =
        source.targetAverageUtilization !== undefined
          ? target(
              { type: 'Utilization', averageUtilization: source.targetAverageUtilization },
              `targetAverageUtilization ${String(source.targetAverageUtilization)}`,
            )
          : target(
              { type: 'AverageValue', averageValue: source.targetAverageValue },
              `targetAverageValue ${String(source.targetAverageValue)}`,
            );
      return { metric: { type, resource: { name: source.name, target: t.target } }, sentence: t.sentence };
    }
    case 'Pods': {
      const t = target(
        { type: 'AverageValue', averageValue: source.targetAverageValue },
        `targetAverageValue ${String(source.targetAverageValue)}`,
      );
      return {
        metric: { type, pods: { metric: metricId(source.metricName, source.selector), target: t.target } },
        sentence: `metricName -> metric.name, ${t.sentence}`,
      };
    }
    case 'Object': {
      const t = averageOrValue(source.averageValue, source.targetValue);
      return {
        metric: {
          type,
          object: {
            describedObject: source.target,
            metric: metricId(source.metricName, source.selector),
            target: t.target,
          },
        },
        sentence: `target -> describedObject, metricName -> metric.name, ${t.sentence}`,
      };
    }
    case 'External': {
      const t = averageOrValue(source.targetAverageValue, source.targetValue);
      return {
        metric: {
          type,
          external: { metric: metricId(source.metricName, source.metricSelector), target: t.target },
        },
        sentence: `metricName/metricSelector -> metric.name/selector, ${t.sentence}`,
      };
    }
    default:
      return null;
  }
}

/** policy/v1 reads an empty selector as every pod of the namespace; v1beta1 read it as none. */
function checkPdbSelector(migration: ObjectMigration): void {
  const selector = fieldsAt(migration.object, ['spec', 'selector']);
  if (!selector) return;
  const hasTerms = [selector.matchLabels, selector.matchExpressions].some(
    (terms) =>
      (Array.isArray(terms) && terms.length > 0) || (isFields(terms) && Object.keys(terms).length > 0),
  );
  if (!hasTerms) {
    migration.warn(
      ['spec', 'selector'],
      'policy/v1 reads an empty spec.selector as every pod in the namespace (policy/v1beta1 read it as none): ' +
        'give it matchLabels, or remove the PodDisruptionBudget if it was meant to protect nothing',
    );
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
