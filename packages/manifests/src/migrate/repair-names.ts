import { objectReferences, setValueAt } from '../object-references.js';
import { podSpecOf } from '../pod-spec.js';
import { type FieldPath, isFields } from '../records.js';
import { isValidName, nameRuleOf, repairName } from '../validate/object-names.js';
import type { ObjectMigration } from './object-migration.js';

/**
 * Names the API server refuses that have one obvious valid reading (capitals, "_"):
 * `mongodb-pVolume` becomes `mongodb-pvolume`, and every reference to it in the
 * migrated set is renamed with it, so the set still fits together. Runs across the
 * whole set, because a claim and the pod naming it are usually in different files.
 * A repair that would give two objects of one kind the same name is not made: it
 * is a problem for the user, and validation then reports the original name too.
 */
export function repairInvalidNames(migrations: readonly ObjectMigration[]): void {
  const renamed = new Map<string, string>();
  const key = (kind: string, name: string) => `${kind}\u0000${name}`;
  const taken = new Set(migrations.map((m) => key(m.object.kind, m.object.metadata.name)));
  for (const migration of migrations) {
    const { kind, metadata } = migration.object;
    const rule = nameRuleOf(kind);
    if (!rule || isValidName(metadata.name, rule)) continue;
    const repaired = repairName(metadata.name, rule);
    if (!repaired) continue;
    if (taken.has(key(kind, repaired))) {
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
    renamed.set(key(kind, metadata.name), repaired);
    taken.add(key(kind, repaired));
    metadata.name = repaired;
  }
  for (const migration of migrations) {
    for (const reference of objectReferences(migration.object)) {
      const to = renamed.get(key(reference.kind, reference.name));
      if (!to) continue;
      migration.change(reference.path, `${lastStep(reference.path)} ${reference.name} -> ${to} (follows the renamed ${reference.kind})`);
      setValueAt(migration.object, reference.path, to);
    }
    repairPodVolumeNames(migration);
  }
}

/** Volume names inside one pod: the volume and every mount naming it, renamed together. */
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
  for (const field of ['initContainers', 'containers'] as const) {
    const containers = pod.spec[field];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, c) => {
      const mounts = isFields(container) ? container.volumeMounts : undefined;
      if (!Array.isArray(mounts)) return;
      mounts.forEach((mount, m) => {
        const to = isFields(mount) ? renamed.get(mount.name) : undefined;
        if (!to) return;
        migration.change([...pod.path, field, c, 'volumeMounts', m, 'name'], `volumeMount name ${mount.name} -> ${to} (follows the renamed volume)`);
        mount.name = to;
      });
    });
  }
}

function lastStep(path: FieldPath): string {
  const step = path[path.length - 1];
  return typeof step === 'string' ? step : 'name';
}
