import { describeObject, formatFieldPath, type SourcedObject } from '../kube-object.js';
import type { ManifestProblem } from '../load-manifests.js';
import { type Container, containersOf, type PodSpec, podSpecOf, podTemplateOf } from '../pod-spec.js';
import { isFields, valueAt } from '../records.js';
import { describeNameRule, isValidName, isValidPortName, nameRuleOf, repairName } from './object-names.js';

type FieldPath = ReadonlyArray<string | number>;

export interface ReferenceReport {
  /** What the API server would refuse: the object cannot be applied as written. */
  problems: ManifestProblem[];
  /** What the server accepts but will not run as meant (a claim no manifest here creates). */
  warnings: ManifestProblem[];
}

/**
 * The checks the offline schema cannot make, because they relate one field to
 * another: names the server refuses, mounts that name no volume, a path mounted
 * twice, duplicate container and port names, a selector that does not select its
 * own pod template; and, across the set, claims that no manifest here creates.
 * Each finding names file, line, object and field, and says what to do.
 */
export function checkReferences(objects: readonly SourcedObject[]): ReferenceReport {
  const report: ReferenceReport = { problems: [], warnings: [] };
  const claims = new Set(objects.filter((o) => o.object.kind === 'PersistentVolumeClaim').map((o) => o.object.metadata.name));
  const volumes = new Set(objects.filter((o) => o.object.kind === 'PersistentVolume').map((o) => o.object.metadata.name));
  for (const sourced of objects) {
    const finding = locate(sourced);
    checkName(sourced, finding.problem);
    const pod = podSpecOf(sourced.object);
    if (pod) checkPodSpec(pod.spec, pod.path, volumeClaimTemplateNames(sourced), finding.problem);
    if (pod) checkClaims(pod.spec, pod.path, claims, finding.warning);
    checkSelector(sourced, finding.problem);
    if (sourced.object.kind === 'Service') checkServicePorts(sourced, finding.problem);
    if (sourced.object.kind === 'PersistentVolumeClaim') {
      const volumeName = valueAt(sourced.object, ['spec', 'volumeName']);
      if (typeof volumeName === 'string' && volumeName !== '' && !volumes.has(volumeName)) {
        finding.warning(
          ['spec', 'volumeName'],
          `names PersistentVolume ${volumeName}, which none of these manifests defines: the claim stays Pending until that volume exists`,
        );
      }
    }
  }
  return report;

  function locate({ object, source }: SourcedObject) {
    const at = (field: FieldPath, message: string): ManifestProblem => ({
      file: source.file,
      line: source.lineOf(field),
      column: 1,
      object: describeObject(object),
      field: formatFieldPath(field),
      message,
    });
    return {
      problem: (field: FieldPath, message: string) => report.problems.push(at(field, message)),
      warning: (field: FieldPath, message: string) => report.warnings.push(at(field, message)),
    };
  }
}

type Report = (field: FieldPath, message: string) => void;

function checkName({ object }: SourcedObject, problem: Report): void {
  const rule = nameRuleOf(object.kind);
  const name = object.metadata.name;
  if (!rule || isValidName(name, rule)) return;
  const repaired = repairName(name, rule);
  problem(
    ['metadata', 'name'],
    `${name} is not a valid ${object.kind} name (${describeNameRule(rule)})` +
      (repaired
        ? `: rename it ${repaired} and every reference to it; \`qed-bootstrap manifests migrate\` does that`
        : ': choose a name that follows the rule and rename every reference to it'),
  );
}

/** A StatefulSet's claim templates are volumes its pods may mount by name. */
function volumeClaimTemplateNames({ object }: SourcedObject): string[] {
  if (object.kind !== 'StatefulSet') return [];
  const templates = valueAt(object, ['spec', 'volumeClaimTemplates']);
  return Array.isArray(templates)
    ? templates.map((t) => valueAt(t, ['metadata', 'name'])).filter((n): n is string => typeof n === 'string')
    : [];
}

function checkPodSpec(spec: PodSpec, specPath: readonly string[], claimTemplates: string[], problem: Report): void {
  const declared = new Map<string, number>();
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((volume, i) => {
    if (!isFields(volume) || typeof volume.name !== 'string') return;
    const field = [...specPath, 'volumes', i, 'name'];
    if (!isValidName(volume.name, 'dns-label')) {
      problem(field, `volume name ${volume.name} is not valid (${describeNameRule('dns-label')}); rename it and every volumeMount naming it`);
    }
    const first = declared.get(volume.name);
    if (first !== undefined) problem(field, `volume name ${volume.name} is also used by volumes[${first}]: each volume needs its own name`);
    else declared.set(volume.name, i);
  });
  const mountable = new Set([...declared.keys(), ...claimTemplates]);
  const containerNames = new Map<string, string>();
  for (const { container, path } of containersOf(spec, specPath)) {
    if (!isFields(container)) continue;
    const label = `${String(path[path.length - 2])}[${String(path[path.length - 1])}]`;
    checkContainerName(container, path, label, containerNames, problem);
    checkMounts(container, path, mountable, problem);
    checkContainerPorts(container, path, problem);
  }
}

function checkContainerName(
  container: Container,
  path: FieldPath,
  label: string,
  seen: Map<string, string>,
  problem: Report,
): void {
  if (typeof container.name !== 'string') return;
  if (!isValidName(container.name, 'dns-label')) {
    problem([...path, 'name'], `container name ${container.name} is not valid (${describeNameRule('dns-label')})`);
  }
  const first = seen.get(container.name);
  if (first) problem([...path, 'name'], `container name ${container.name} is also used by ${first}: every container of a pod needs its own name`);
  else seen.set(container.name, label);
}

function checkMounts(container: Container, path: FieldPath, mountable: Set<string>, problem: Report): void {
  const mounts = container.volumeMounts;
  if (!Array.isArray(mounts)) return;
  const paths = new Map<string, number>();
  mounts.forEach((mount, i) => {
    if (!isFields(mount)) return;
    if (typeof mount.name === 'string' && !mountable.has(mount.name)) {
      problem(
        [...path, 'volumeMounts', i, 'name'],
        `volumeMounts[${i}] names volume ${mount.name}, which the pod does not define: add it under volumes or remove the mount`,
      );
    }
    if (typeof mount.mountPath !== 'string') return;
    // Compared as written, as the server does: /data and /data/ pass it.
    const first = paths.get(mount.mountPath);
    if (first !== undefined) {
      problem(
        [...path, 'volumeMounts', i, 'mountPath'],
        `volumeMounts[${i}] mounts at ${mount.mountPath}, as volumeMounts[${first}] already does: a path takes one mount; remove one or give it another path`,
      );
    } else paths.set(mount.mountPath, i);
  });
}

function checkContainerPorts(container: Container, path: FieldPath, problem: Report): void {
  const ports = container.ports;
  if (!Array.isArray(ports)) return;
  const names = new Map<string, number>();
  ports.forEach((port, i) => {
    // An empty name is no name, to the server as here.
    if (!isFields(port) || typeof port.name !== 'string' || port.name === '') return;
    const field = [...path, 'ports', i, 'name'];
    if (!isValidPortName(port.name)) {
      problem(field, `port name ${port.name} is not valid (at most 15 lower-case letters, digits and single "-", with a letter among them)`);
    }
    const first = names.get(port.name);
    if (first !== undefined) problem(field, `port name ${port.name} is also used by ports[${first}]: each port of a container needs its own name`);
    else names.set(port.name, i);
  });
}

function checkClaims(spec: PodSpec, specPath: readonly string[], claims: Set<string>, warning: Report): void {
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((volume, i) => {
    const claimName = isFields(volume) ? volume.persistentVolumeClaim?.claimName : undefined;
    if (typeof claimName !== 'string' || claims.has(claimName)) return;
    warning(
      [...specPath, 'volumes', i, 'persistentVolumeClaim', 'claimName'],
      `names claim ${claimName}, which none of these manifests defines: the pod stays Pending until that PersistentVolumeClaim exists`,
    );
  });
}

/** Workloads whose selector the server requires to select their own template. */
const SELECTING_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

function checkSelector({ object }: SourcedObject, problem: Report): void {
  if (!SELECTING_KINDS.has(object.kind)) return;
  const selector = valueAt(object, ['spec', 'selector']);
  const labels = podTemplateOf(object)?.template.metadata?.labels ?? {};
  if (!isFields(selector)) return; // a missing selector is the schema's to report
  const unmatched = unmatchedSelectorTerms(selector, isFields(labels) ? (labels as Record<string, unknown>) : {});
  if (unmatched.length === 0) return;
  problem(
    ['spec', 'selector'],
    `selects ${unmatched.join(', ')}, which the pod template's labels do not carry: the server refuses a workload that does not select its own pods; make spec.template.metadata.labels match`,
  );
}

/** Each term of a label selector that the labels fail, written as a person would read it. */
function unmatchedSelectorTerms(selector: Record<string, unknown>, labels: Record<string, unknown>): string[] {
  const failed: string[] = [];
  const matchLabels = selector.matchLabels;
  if (isFields(matchLabels)) {
    for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) failed.push(`${key}=${String(value)}`);
  }
  const expressions = selector.matchExpressions;
  if (Array.isArray(expressions)) {
    for (const e of expressions) {
      if (!isFields(e) || typeof e.key !== 'string') continue;
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      const has = Object.hasOwn(labels, e.key);
      const value = has ? String(labels[e.key]) : undefined;
      const ok =
        e.operator === 'In' ? value !== undefined && values.includes(value)
        : e.operator === 'NotIn' ? value === undefined || !values.includes(value)
        : e.operator === 'Exists' ? has
        : e.operator === 'DoesNotExist' ? !has
        : true; // an unknown operator is the schema's to report
      if (!ok) failed.push(`${e.key} ${String(e.operator)}${values.length ? ` (${values.join(', ')})` : ''}`);
    }
  }
  return failed;
}

function checkServicePorts({ object }: SourcedObject, problem: Report): void {
  const ports = valueAt(object, ['spec', 'ports']);
  if (!Array.isArray(ports)) return;
  const names = new Map<string, number>();
  ports.forEach((port, i) => {
    if (!isFields(port)) return;
    const field = ['spec', 'ports', i, 'name'];
    if (typeof port.name !== 'string' || port.name === '') {
      if (ports.length > 1) problem(field, `is required when a Service has more than one port: name each port (e.g. http, postgres)`);
      return;
    }
    if (!isValidName(port.name, 'dns-label')) problem(field, `port name ${port.name} is not valid (${describeNameRule('dns-label')})`);
    const first = names.get(port.name);
    if (first !== undefined) problem(field, `port name ${port.name} is also used by spec.ports[${first}]: each port of a Service needs its own name`);
    else names.set(port.name, i);
  });
}
