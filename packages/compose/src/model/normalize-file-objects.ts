import path from 'node:path';
import type { KeyPath } from '../source/compose-problem.js';
import type { FileMount, FileObjectModel } from './compose-model.js';
import { type FieldReader, isPlainMap } from './field-reader.js';

type Kind = FileObjectModel['kind'];

/** Where a definition's value may come from; configs alone may carry it inline. */
const SOURCES: Record<Kind, readonly string[]> = {
  secret: ['file', 'environment', 'external'],
  config: ['file', 'content', 'environment', 'external'],
};

/**
 * Top-level `secrets:` or `configs:`. Each names where its one value comes from;
 * `file:` is made absolute against the folder of the file that declares it, so a
 * definition merged in from another -f file keeps pointing at its own neighbour.
 */
export function normalizeFileObjects(kind: Kind, value: unknown, reader: FieldReader): Map<string, FileObjectModel> {
  const definitions = new Map<string, FileObjectModel>();
  const key = `${kind}s`;
  if (value === undefined || value === null) return definitions;
  for (const [name, raw] of Object.entries(reader.map(value, [key]) ?? {})) {
    const at: KeyPath = [key, name];
    const definition: FileObjectModel = { kind, name, at: reader.source.locateKey(at), keyAt: new Map(), external: false, untranslated: [] };
    const fields = raw === null ? {} : reader.map(raw, at);
    if (!fields) continue;
    for (const [field, v] of Object.entries(fields)) {
      const p = [...at, field];
      definition.keyAt.set(field, reader.source.locateKey(p));
      if (field === 'file') {
        const file = reader.string(v, p);
        if (file !== undefined) {
          definition.file = path.resolve(path.dirname(reader.source.file), file);
          definition.fileAsWritten = file;
        }
      } else if (field === 'content' && kind === 'config') {
        const content = reader.string(v, p);
        if (content !== undefined) definition.content = content;
      } else if (field === 'environment') {
        const variable = reader.string(v, p);
        if (variable !== undefined) definition.environment = variable;
      } else if (field === 'external') {
        // Compose's older form `external: {name: x}` names the object, as `name:` does.
        if (isPlainMap(v)) {
          definition.external = true;
          const external = v.name === undefined ? undefined : reader.string(v.name, [...p, 'name']);
          if (external !== undefined) definition.externalName = external;
        } else {
          definition.external = reader.boolean(v, p) ?? false;
        }
      } else if (field === 'name') {
        const external = reader.string(v, p);
        if (external !== undefined) definition.externalName = external;
      } else if (!field.startsWith('x-')) {
        const reason = ['labels', 'driver', 'driver_opts', 'template_driver'].includes(field)
          ? `${kind} drivers, templates and labels belong to Docker Swarm; the ${kind === 'secret' ? 'Secret' : 'ConfigMap'} holds only the value`
          : `not a key of a compose ${kind}`;
        definition.untranslated.push({ key: field, reason, at: reader.source.locateKey(p) });
      }
    }
    const given = SOURCES[kind].filter((source) => (source === 'external' ? definition.external : definition.keyAt.has(source)));
    if (given.length === 0) reader.problem(at, `needs one of ${SOURCES[kind].join(', ')}: where does its value come from?`);
    else if (given.length > 1) reader.problem(at, `sets ${given.join(' and ')}: a ${kind} takes its value from one of them`);
    definitions.set(name, definition);
  }
  return definitions;
}

/**
 * A service's `secrets:` or `configs:` list: a name (short syntax), or source,
 * target, uid, gid and mode (long syntax).
 */
export function readFileMounts(kind: Kind, value: unknown, at: KeyPath, reader: FieldReader, serviceName: string): FileMount[] {
  if (!Array.isArray(value)) {
    reader.problem(at, `must be a list of ${kind} names or of mappings with source and target`);
    return [];
  }
  return value.flatMap((item, i): FileMount[] => {
    const itemPath = [...at, i];
    if (!isPlainMap(item)) {
      const source = reader.string(item, itemPath);
      return source === undefined ? [] : [{ source, at: reader.at(itemPath) }];
    }
    const source = reader.string(item.source, [...itemPath, 'source']);
    if (source === undefined) return [];
    const mount: FileMount = { source, at: reader.at(itemPath) };
    for (const [field, v] of Object.entries(item)) {
      const p = [...itemPath, field];
      if (field === 'source' || v === null) continue;
      if (field === 'target' || field === 'uid' || field === 'gid') {
        const text = reader.string(v, p);
        if (text !== undefined) mount[field] = text;
      } else if (field === 'mode') {
        const mode = reader.fileMode(v, p);
        if (mode !== undefined) mount.mode = mode;
      } else if (!field.startsWith('x-')) {
        reader.warn(p, `${field} is not a key of a service's ${kind}s (source, target, uid, gid, mode)`, serviceName);
      }
    }
    return [mount];
  });
}
