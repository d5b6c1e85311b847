import path from 'node:path';
import { QED_SERVICES, type QedServiceName, looksLikeSecretName } from '@qed/core';
import {
  describeObject,
  formatFieldPath,
  type KubeObject,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  LABEL_PART_OF,
  MANAGED_BY,
  PART_OF,
  type SourcedObject,
} from '../kube-object.js';
import {
  listManifestFiles,
  loadManifests,
  type ManifestProblem,
  manifestsInvalid,
} from '../load-manifests.js';
import { containersOf, isNamespaced, podTemplateOf } from '../pod-spec.js';
import { SECRET_KEY_PATTERN, SECRET_NAME } from './render-types.js';
import { secretRefsOf } from './secret-refs.js';

/** One file of manifests/base: the objects of one QED service. */
export interface BaseService {
  service: QedServiceName;
  file: string;
  objects: SourcedObject[];
}

/**
 * Reads manifests/base, one file per QED service (`<service>.yaml`), and checks what
 * render and everything after it rely on: the labels prune and teardown select on,
 * selectors that match them, no namespace (render sets it), host folders as relative
 * paths (the profile decides what they become), claims without a storage class (the
 * profile sets it), and credentials only from qed-secrets. Every problem of every
 * file is reported at once, located by file and line (MANIFESTS_INVALID).
 */
export async function loadBase(manifestsDir: string): Promise<BaseService[]> {
  const baseDir = path.join(manifestsDir, 'base');
  const files = await listManifestFiles([baseDir]);
  const objects = await loadManifests(files);
  const problems: ManifestProblem[] = [];
  const byFile = new Map<string, BaseService>();
  for (const file of files) {
    const service = path.basename(file, path.extname(file));
    if (!(QED_SERVICES as readonly string[]).includes(service) || path.dirname(file) !== baseDir) {
      problems.push({
        file,
        line: 1,
        column: 1,
        message: `not a QED service: base/ holds one file per service, named <service>.yaml (${QED_SERVICES.join(', ')})`,
      });
      continue;
    }
    if ([...byFile.values()].some((s) => s.service === service)) {
      problems.push({ file, line: 1, column: 1, message: `a second file for ${service}` });
      continue;
    }
    byFile.set(file, { service: service as QedServiceName, file, objects: [] });
  }
  for (const sourced of objects) byFile.get(sourced.source.file)?.objects.push(sourced);
  const services = [...byFile.values()];
  for (const name of QED_SERVICES) {
    if (!services.some((s) => s.service === name)) {
      problems.push({
        file: path.join(baseDir, `${name}.yaml`),
        line: 1,
        column: 1,
        message: `missing: every QED service has a file in base/`,
      });
    }
  }
  const seen = new Map<string, string>();
  for (const service of services) {
    if (service.objects.length === 0)
      problems.push({ file: service.file, line: 1, column: 1, message: 'no objects' });
    problems.push(...checkBaseService(service));
    for (const { object, source } of service.objects) {
      const id = `${object.kind}/${object.metadata.name}`;
      const first = seen.get(id);
      if (first)
        problems.push(
          at(
            { object, source },
            ['metadata', 'name'],
            `${object.kind} ${object.metadata.name} is also defined in ${first}`,
          ),
        );
      else seen.set(id, `${path.basename(source.file)}:${source.line}`);
    }
  }
  if (problems.length > 0) throw manifestsInvalid(problems, 'base manifests');
  return services.sort((a, b) => QED_SERVICES.indexOf(a.service) - QED_SERVICES.indexOf(b.service));
}

function at(
  { object, source }: SourcedObject,
  field: Array<string | number>,
  message: string,
): ManifestProblem {
  return {
    file: source.file,
    line: source.lineOf(field),
    column: 1,
    object: describeObject(object),
    ...(field.length > 0 ? { field: formatFieldPath(field) } : {}),
    message,
  };
}

/** The problems of one service's objects; see loadBase. */
export function checkBaseService(base: BaseService): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const { service } = base;
  const selector = { [LABEL_NAME]: service, [LABEL_PART_OF]: PART_OF };
  const labels = { ...selector, [LABEL_MANAGED_BY]: MANAGED_BY };
  const claims = new Set(
    base.objects.filter((o) => o.object.kind === 'PersistentVolumeClaim').map((o) => o.object.metadata.name),
  );

  for (const sourced of base.objects) {
    const { object } = sourced;
    const problem = (field: Array<string | number>, message: string) =>
      problems.push(at(sourced, field, message));

    if (!isNamespaced(object.kind)) {
      problem(
        ['kind'],
        `${object.kind} is cluster-scoped and does not belong in base/: persistent volumes come from the profile, the namespace from render`,
      );
    }
    if (object.kind === 'Secret') {
      problem(
        ['kind'],
        `credentials come from the ${SECRET_NAME} Secret render makes; reference its keys with secretKeyRef instead`,
      );
    }
    if (object.metadata.namespace !== undefined)
      problem(['metadata', 'namespace'], 'leave the namespace out: render sets it');
    const missing = missingLabels(object.metadata.labels, labels);
    if (missing) problem(['metadata', 'labels'], `needs the labels ${missing}`);

    if (object.kind === 'Service') {
      const spec = object.spec as { selector?: Record<string, string> } | undefined;
      if (!sameLabels(spec?.selector, selector))
        problem(['spec', 'selector'], `selector must be exactly ${formatLabels(selector)}`);
    }
    if (object.kind === 'PersistentVolumeClaim') {
      const spec = (object.spec ?? {}) as Record<string, unknown>;
      for (const field of ['storageClassName', 'volumeName']) {
        if (spec[field] !== undefined) problem(['spec', field], `leave ${field} out: the profile sets it`);
      }
    }

    const found = podTemplateOf(object);
    if (!found) continue;
    const workload = object.spec as {
      selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown };
    };
    if (
      !sameLabels(workload.selector?.matchLabels, selector) ||
      workload.selector?.matchExpressions !== undefined
    ) {
      problem(['spec', 'selector'], `selector.matchLabels must be exactly ${formatLabels(selector)}`);
    }
    const templateMissing = missingLabels(found.template.metadata?.labels, labels);
    if (templateMissing)
      problem([...found.path, 'metadata', 'labels'], `the pod template needs the labels ${templateMissing}`);

    const spec = found.template.spec ?? {};
    const specPath = [...found.path, 'spec'];
    (spec.volumes ?? []).forEach((volume, v) => {
      const volumePath = [...specPath, 'volumes', v];
      if (volume.hostPath) {
        const reason = hostFolderProblem(volume.hostPath.path);
        if (reason) problem([...volumePath, 'hostPath', 'path'], reason);
        if (volume.hostPath.type !== undefined)
          problem([...volumePath, 'hostPath', 'type'], 'leave the type out: render sets it');
      }
      const claim = volume.persistentVolumeClaim?.claimName;
      if (claim !== undefined && !claims.has(claim)) {
        problem(
          [...volumePath, 'persistentVolumeClaim', 'claimName'],
          `no PersistentVolumeClaim ${claim} in this file: a service's claims live beside it, so --only brings them along`,
        );
      }
    });
    for (const ref of secretRefsOf(object)) {
      if (ref.via === 'envFrom') {
        problem(
          ref.path,
          `take secrets key by key (secretKeyRef), so render knows every key ${SECRET_NAME} must hold`,
        );
      } else if (ref.secretName !== SECRET_NAME) {
        problem(
          ref.path,
          `secrets come from the one Secret ${SECRET_NAME}, not ${ref.secretName ?? '(unnamed)'}`,
        );
      } else if (ref.key === undefined) {
        problem(
          ref.path,
          `list the keys (items) taken from ${SECRET_NAME}, so render knows every key it must hold`,
        );
      } else if (!SECRET_KEY_PATTERN.test(ref.key)) {
        problem(
          ref.path,
          `secret key ${ref.key} must be UPPER_SNAKE_CASE (it is also the variable QED_SECRET_${ref.key})`,
        );
      }
    }
    for (const { container, path: containerPath } of containersOf(spec, specPath)) {
      (container.env ?? []).forEach((env, i) => {
        if (env.value !== undefined && looksLikeSecretName(env.name) && !isFlag(env.value)) {
          problem(
            [...containerPath, 'env', i, 'value'],
            `${env.name} looks like a credential: take it from ${SECRET_NAME} with secretKeyRef, never a literal value`,
          );
        }
      });
    }
  }
  return problems;
}

/** A value no one would mistake for a credential: a switch or a small number. */
function isFlag(value: string): boolean {
  return /^(true|false|yes|no|on|off|\d{1,5})$/i.test(value);
}

/** Why a host folder path is not usable, or null. */
export function hostFolderProblem(hostPath: string): string | null {
  if (
    hostPath === '' ||
    path.posix.isAbsolute(hostPath) ||
    /^[A-Za-z]:/.test(hostPath) ||
    hostPath.includes('\\')
  ) {
    return `host folders are written relative to the data root (e.g. source/static_qed), not ${JSON.stringify(hostPath)}`;
  }
  if (hostPath.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) {
    return `host folder ${JSON.stringify(hostPath)} must stay inside the data root, with no empty, "." or ".." segments`;
  }
  return null;
}

function missingLabels(
  actual: Record<string, string> | undefined,
  wanted: Record<string, string>,
): string | null {
  const missing = Object.entries(wanted).filter(([key, value]) => actual?.[key] !== value);
  return missing.length > 0 ? formatLabels(Object.fromEntries(missing)) : null;
}

function sameLabels(actual: Record<string, string> | undefined, wanted: Record<string, string>): boolean {
  return (
    actual !== undefined &&
    Object.keys(actual).length === Object.keys(wanted).length &&
    missingLabels(actual, wanted) === null
  );
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** Objects of a service, deep-copied so rendering never changes what was loaded. */
export function cloneObjects(base: BaseService): KubeObject[] {
  return base.objects.map((o) => structuredClone(o.object));
}
