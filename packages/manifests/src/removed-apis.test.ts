import { describe, expect, it } from 'vitest';
import { parseManifestText } from './load-manifests.js';
import { type MigrationReport, startObjectMigration } from './migrate/object-migration.js';
import { upgradeApiVersion } from './migrate/upgrade-api-version.js';
import { REMOVED_APIS, removedApi } from './removed-apis.js';
import { validateOffline } from './validate/validate-offline.js';

/** An object of the kind with a spec apps/v1 accepts (a selector and labelled pod template). */
function manifest(apiVersion: string, kind: string): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\nspec:\n  selector:\n    matchLabels: { app: x }\n  template:\n    metadata:\n      labels: { app: x }\n`;
}

function migrateOne(apiVersion: string, kind: string) {
  const [sourced] = parseManifestText(manifest(apiVersion, kind), 'm.yaml').objects;
  if (!sourced) throw new Error('no object parsed');
  const report: MigrationReport = { changes: [], warnings: [], problems: [] };
  const migration = startObjectMigration(sourced, report);
  upgradeApiVersion(migration);
  return { object: migration.object, ...report };
}

async function refusedAsRemoved(apiVersion: string, kind: string): Promise<boolean> {
  const { objects } = parseManifestText(manifest(apiVersion, kind), 'm.yaml');
  const { problems } = await validateOffline(objects);
  return problems.some((p) => p.field === 'apiVersion' && p.message.includes('is no longer served'));
}

describe('the removed-API table, shared by validate and migrate', () => {
  it('has one entry per apiVersion and kind', () => {
    const keys = REMOVED_APIS.map((api) => `${api.apiVersion} ${api.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(REMOVED_APIS.map((api) => [api.apiVersion, api.kind, api]))('%s %s: validate refuses it, migrate upgrades it or flags it', async (apiVersion, kind, api) => {
    expect(await refusedAsRemoved(apiVersion, kind)).toBe(true);
    const migrated = migrateOne(apiVersion, kind);
    if (api.migrated) {
      expect(migrated.object.apiVersion).toBe(api.replacement);
      expect(migrated.changes[0]?.change).toBe(`apiVersion ${apiVersion} -> ${api.replacement}`);
      // What migrate writes is served: validate no longer sends it back.
      expect(removedApi(migrated.object.apiVersion, kind)).toBeNull();
    } else {
      expect(migrated.object.apiVersion).toBe(apiVersion);
      expect(migrated.changes).toEqual([]);
      expect(migrated.warnings).toHaveLength(1);
    }
  });

  it.each([
    ['apps/v1', 'Deployment'],
    ['networking.k8s.io/v1beta1', 'ServiceCIDR'],
    ['admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy'],
    ['storage.k8s.io/v1beta1', 'VolumeAttributesClass'],
    ['extensions/v1beta1', 'StatefulSet'],
  ])('%s %s is not in the table: migrate leaves it, validate does not call it removed', async (apiVersion, kind) => {
    expect(removedApi(apiVersion, kind)).toBeNull();
    const migrated = migrateOne(apiVersion, kind);
    expect([migrated.object.apiVersion, migrated.changes, migrated.warnings]).toEqual([apiVersion, [], []]);
    expect(await refusedAsRemoved(apiVersion, kind)).toBe(false);
  });
});
