import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile } from './load-profile.js';

const MANIFESTS_DIR = fileURLToPath(new URL('../../../../manifests', import.meta.url));

describe('loadProfile', () => {
  it('reads the three profiles of the repository', async () => {
    expect(await loadProfile(MANIFESTS_DIR, 'local')).toMatchObject({
      storageClassName: 'qed-local',
      persistentVolumes: 'hostPath',
      reclaimPolicy: 'Retain',
      hostFolders: 'hostPath',
    });
    expect(await loadProfile(MANIFESTS_DIR, 'aws')).toMatchObject({
      storageClassName: 'gp3',
      persistentVolumes: 'none',
      hostFolders: 'omit',
    });
    expect(await loadProfile(MANIFESTS_DIR, 'azure')).toMatchObject({
      storageClassName: 'managed-csi',
      persistentVolumes: 'none',
      hostFolders: 'omit',
    });
  });
});

describe('parseProfile', () => {
  it('reports every problem with its line', () => {
    const text = 'name: aws\nstorageClassName: GP3\npersistentVolumes: yes\nhostFolder: emptyDir\n';
    const { profile, problems } = parseProfile(text, 'aws.yaml', 'aws');
    expect(profile).toBeNull();
    expect(problems).toEqual([
      {
        file: 'aws.yaml',
        line: 2,
        column: 1,
        field: 'storageClassName',
        message: 'must be a storage class name (lowercase DNS subdomain)',
      },
      {
        file: 'aws.yaml',
        line: 3,
        column: 1,
        field: 'persistentVolumes',
        message: 'must be one of hostPath, none',
      },
      {
        file: 'aws.yaml',
        line: 4,
        column: 1,
        field: 'hostFolder',
        message:
          'unknown setting; a profile has name, description, storageClassName, persistentVolumes, reclaimPolicy, hostFolders',
      },
      { file: 'aws.yaml', line: 1, column: 1, field: 'hostFolders', message: 'missing' },
    ]);
  });

  it('wants the file’s own name and a reclaim policy for volumes it makes', () => {
    const { problems } = parseProfile(
      'name: local\nstorageClassName: x\npersistentVolumes: hostPath\nhostFolders: hostPath\n',
      'p.yaml',
      'azure',
    );
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      "name: must be azure, the file's name",
      'reclaimPolicy: required with persistentVolumes: hostPath',
    ]);
  });
});
