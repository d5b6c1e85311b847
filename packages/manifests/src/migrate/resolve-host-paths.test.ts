import type { OperatingSystem } from '@qed/core';
import { describe, expect, it } from 'vitest';
import { planMigration } from './plan-migration.js';
import { valueAt } from '../records.js';

const pv = (hostPath: string) =>
  `apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: data\nspec:\n  capacity: { storage: 1Gi }\n  hostPath:\n    path: ${hostPath}\n`;

const podVolumes = (kind: string, apiVersion: string, podSpecIndent: string, prefix: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\n${prefix}` +
  `${podSpecIndent}volumes:\n` +
  `${podSpecIndent}  - name: data\n${podSpecIndent}    hostPath:\n${podSpecIndent}      path: data/app-data\n` +
  `${podSpecIndent}  - name: claim\n${podSpecIndent}    persistentVolumeClaim: { claimName: c }\n` +
  `${podSpecIndent}  - name: logs\n${podSpecIndent}    hostPath: { path: /var/log, type: Directory }\n`;

function migrate(text: string, dataRoot = '/home/me/qed', hostOs: OperatingSystem = 'linux') {
  const plan = planMigration([{ path: 'm.yaml', text }], { dataRoot, hostOs });
  return {
    object: plan.files[0]?.objects[0],
    changes: plan.changes.map((c) => [c.line, c.change]),
    warnings: plan.warnings,
  };
}

describe('relative hostPath paths', () => {
  it.each([
    ['data/pv-mongodb', '/home/me/qed', 'linux', '/home/me/qed/data/pv-mongodb'],
    ['./data/pv-redis/', '/Users/me/qed/', 'macos', '/Users/me/qed/data/pv-redis/'],
    ['qed_django', '/home/me/qed', 'wsl', '/home/me/qed/qed_django'],
    ['data\\pv-postgres', 'C:\\Users\\me\\qed', 'windows', '/c/Users/me/qed/data/pv-postgres'],
    ['data/pv-mongodb', 'C:\\Users\\me\\qed', 'windows', '/c/Users/me/qed/data/pv-mongodb'],
  ] as const)('PersistentVolume %s under %s (%s) -> %s', (hostPath, dataRoot, hostOs, expected) => {
    const { object, changes, warnings } = migrate(pv(hostPath), dataRoot, hostOs);
    expect(valueAt(object, ['spec', 'hostPath', 'path'])).toBe(expected);
    expect(changes).toEqual([[8, `hostPath ${hostPath} -> ${expected}`]]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['Pod', 'v1', '  ', 'spec:\n'],
    [
      'Deployment',
      'apps/v1',
      '      ',
      'spec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n',
    ],
    [
      'StatefulSet',
      'apps/v1',
      '      ',
      'spec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n',
    ],
    ['Job', 'batch/v1', '      ', 'spec:\n  template:\n    spec:\n'],
    [
      'CronJob',
      'batch/v1',
      '          ',
      'spec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n',
    ],
  ])(
    '%s: pod volumes, relative ones resolved, absolute ones and other volume types kept',
    (kind, apiVersion, indent, prefix) => {
      const text = podVolumes(kind, apiVersion, indent, prefix);
      const { object, changes } = migrate(text);
      const podSpec =
        kind === 'Pod'
          ? ['spec']
          : kind === 'CronJob'
            ? ['spec', 'jobTemplate', 'spec', 'template', 'spec']
            : ['spec', 'template', 'spec'];
      expect(valueAt(object, [...podSpec, 'volumes'])).toEqual([
        { name: 'data', hostPath: { path: '/home/me/qed/data/app-data' } },
        { name: 'claim', persistentVolumeClaim: { claimName: 'c' } },
        { name: 'logs', hostPath: { path: '/var/log', type: 'Directory' } },
      ]);
      const line = text.split('\n').findIndex((l) => l.includes('path: data/app-data')) + 1;
      expect(changes).toEqual([[line, 'hostPath data/app-data -> /home/me/qed/data/app-data']]);
    },
  );

  it('turns a Windows drive path, which no Linux node has, into the path minikube mounts it at', () => {
    const { object, changes } = migrate(pv('C:\\qed\\data'), '/home/me/qed', 'linux');
    expect(valueAt(object, ['spec', 'hostPath', 'path'])).toBe('/c/qed/data');
    expect(changes).toEqual([[8, 'hostPath C:\\qed\\data -> /c/qed/data']]);
  });

  it.each([
    ['../shared', '/home/me/shared', /resolves to \/home\/me\/shared, outside the data root \/home\/me\/qed/],
    ['~/qed/data', '~/qed/data', /the node does not expand ~/],
  ])('%s becomes %s, with a warning', (hostPath, expected, warning) => {
    const { object, warnings } = migrate(pv(hostPath));
    expect(valueAt(object, ['spec', 'hostPath', 'path'])).toBe(expected);
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^m\\.yaml:8: PersistentVolume data: .*${warning.source}`)),
    ]);
  });

  it('ignores hostPath-shaped fields outside pod volumes and persistent volumes', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  hostPath: data/x\n';
    expect(migrate(text).changes).toEqual([]);
  });
});
