import type { ObjectMigration } from './object-migration.js';
import { isFields, valueAt } from '../records.js';
import { isValidName } from '../validate/object-names.js';


/**
 * The original manifests name a Service port "HTTP"; the API server has always
 * refused upper case there, so that file never applied. Lowering the case is the
 * only reading of such a name, so it is done here; a name that is wrong in another
 * way is left for validation to report, since any fix would be a guess.
 */
export function lowercasePortNames(migration: ObjectMigration): void {
  const { object } = migration;
  if (object.kind !== 'Service' || object.apiVersion !== 'v1') return;
  const ports = valueAt(object, ['spec', 'ports']);
  if (!Array.isArray(ports)) return;
  ports.forEach((port, i) => {
    if (!isFields(port) || typeof port.name !== 'string' || isValidName(port.name, 'dns-label')) return;
    const lower = port.name.toLowerCase();
    if (!isValidName(lower, 'dns-label')) return;
    migration.change(
      ['spec', 'ports', i, 'name'],
      `Service port name ${port.name} -> ${lower} (port names must be lower case; whatever names this port must say ${lower})`,
    );
    port.name = lower;
  });
}
