import { containersOf, isNamespaced, podSpecOf } from '../pod-spec.js';
import { objectReferences } from '../object-references.js';
import { isFields, setValueAt } from '../records.js';
import { isValidName, nameRuleOf, repairName } from '../validate/object-names.js';
import type { ObjectMigration } from './object-migration.js';

/** An object as the server tells objects apart: kind, namespace ('' = the one applied into; none when cluster-scoped), name. */
function objectKey(kind: string, namespace: string | null, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

function ownKey(migration: ObjectMigration, name = migration.object.metadata.name): string {
  const { kind, metadata } = migration.object;
  return objectKey(kind, isNamespaced(kind) ? (metadata.namespace ?? '') : null, name);
}

/**
 * Names the API server refuses that have one obvious valid reading (capitals, "_"):
 * `mongodb-pVolume` becomes `mongodb-pvolume`, and every reference to it in the
 * migrated set (objectReferences: in the same namespace, or the one written beside
 * the name) is renamed with it, so the set still fits together. Runs across the
 * whole set, because a claim and the pod naming it are usually in different files.
 * A repair that would give two objects of one kind in one namespace the same name is
 * not made: it is a problem for the user.
 */
export function repairInvalidNames(migrations: readonly ObjectMigration[]): void {
  const renamed = new Map<string, string>();
  const taken = new Set(migrations.map((m) => ownKey(m)));
  for (const migration of migrations) {
    const { kind, metadata } = migration.object;
    const rule = nameRuleOf(kind);
    if (!rule || isValidName(metadata.name, rule)) continue;
    const repaired = repairName(metadata.name, rule);
    if (!repaired) continue;
    if (taken.has(ownKey(migration, repaired))) {
      migration.problem(
        ['metadata', 'name'],
        `${metadata.name} is not a valid ${kind} name, and its lower-case form ${repaired} is already the name of another ${kind}: rename one of them`,
      );
      continue;
    }
    migration.change(
      ['metadata', 'name'],
      `${kind} name ${metadata.name} -> ${repaired} (the server refuses capitals and "_" in names; every reference to it here is renamed with it)`,
    );
    if (kind === 'Service') {
      migration.warn(
        ['metadata', 'name'],
        `the Service's DNS name changes from ${metadata.name} to ${repaired}: settings that name the old host (env values, ConfigMap data, config files) are not rewritten; search them for ${metadata.name}`,
      );
    }
    renamed.set(ownKey(migration), repaired);
    taken.add(ownKey(migration, repaired));
    metadata.name = repaired;
  }
  for (const migration of migrations) {
    // All of an object's references first: renaming its namespace must not change where the others are looked up.
    const references = objectReferences(migration.object);
    for (const reference of references) {
      const to = renamed.get(objectKey(reference.kind, reference.namespace, reference.name));
      if (!to) continue;
      const field = reference.path[reference.path.length - 1];
      migration.change(reference.path, `${typeof field === 'string' ? field : 'name'} ${reference.name} -> ${to} (follows the renamed ${reference.kind})`);
      setValueAt(migration.object, reference.path, to);
    }
    repairPodVolumeNames(migration);
  }
}

/** Volume names inside one pod: the volume and every mount and device naming it, renamed together. */
function repairPodVolumeNames(migration: ObjectMigration): void {
  const pod = podSpecOf(migration.object);
  if (!pod || !Array.isArray(pod.spec.volumes)) return;
  const names = new Set(pod.spec.volumes.map((v) => (isFields(v) ? v.name : undefined)));
  const renamed = new Map<string, string>();
  pod.spec.volumes.forEach((volume, i) => {
    if (!isFields(volume) || typeof volume.name !== 'string' || isValidName(volume.name, 'dns-label')) return;
    const repaired = repairName(volume.name, 'dns-label');
    if (!repaired || names.has(repaired)) return; // validation names it; no guess here
    migration.change(
      [...pod.path, 'volumes', i, 'name'],
      `volume name ${volume.name} -> ${repaired} (volume names must be lower case; the mounts naming it are renamed with it)`,
    );
    renamed.set(volume.name, repaired);
    names.add(repaired);
    volume.name = repaired;
  });
  if (renamed.size === 0) return;
  for (const { container, path } of containersOf(pod.spec, pod.path)) {
    for (const field of ['volumeMounts', 'volumeDevices'] as const) {
      const list = container[field];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, m) => {
        const to = isFields(entry) && typeof entry.name === 'string' ? renamed.get(entry.name) : undefined;
        if (!to || !isFields(entry)) return;
        migration.change([...path, field, m, 'name'], `${field === 'volumeMounts' ? 'volumeMount' : 'volumeDevice'} name ${String(entry.name)} -> ${to} (follows the renamed volume)`);
        entry.name = to;
      });
    }
  }
}
