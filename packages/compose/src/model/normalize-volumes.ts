import { emptyVolume, type VolumeModel } from './compose-model.js';
import { type FieldReader, isPlainMap } from './field-reader.js';

export interface ComposeModelParts {
  volumes: Map<string, VolumeModel>;
}

/**
 * Top-level `volumes:`. A local volume with driver_opts type none / o bind is a
 * host folder under another name (a common way to put data somewhere known); it
 * is kept as such. Labels are kept for the kompose.volume.* ones; drivers have no
 * claim counterpart and are reported.
 */
export function normalizeVolumes(value: unknown, reader: FieldReader): ComposeModelParts {
  const volumes = new Map<string, VolumeModel>();
  if (value === undefined || value === null) return { volumes };
  const declared = reader.map(value, ['volumes']);
  for (const [name, raw] of Object.entries(declared ?? {})) {
    const path = ['volumes', name];
    const volume = emptyVolume(name, reader.source.locateKey(path));
    volumes.set(name, volume);
    if (raw === null || raw === undefined) continue;
    const fields = reader.map(raw, path);
    for (const [key, v] of Object.entries(fields ?? {})) {
      const at = reader.source.locateKey([...path, key]);
      if (key === 'external') {
        volume.external = isPlainMap(v) || v === true || v === 'true';
      } else if (key === 'name') {
        volume.untranslated.push({ key, reason: 'the claim is named after the compose volume key', at });
      } else if (key === 'labels') {
        for (const [label, text, labelAt] of reader.keyValues(v, [...path, key])) {
          volume.labels.set(label, text ?? '');
          volume.labelAt.set(label, labelAt);
        }
      } else if (key === 'driver_opts' && isPlainMap(v) && v.type === 'none' && typeof v.device === 'string' && String(v.o ?? '').split(',').includes('bind')) {
        volume.bindDevice = v.device;
      } else if (key === 'driver' && (v === 'local' || v === null)) {
        // the default driver: nothing to translate
      } else if (!key.startsWith('x-')) {
        volume.untranslated.push({ key, reason: 'volume drivers and their options map to a StorageClass, chosen on the cluster', at });
      }
    }
  }
  return { volumes };
}
