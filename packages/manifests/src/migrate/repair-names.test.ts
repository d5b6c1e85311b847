import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import { planMigration } from './plan-migration.js';

const OPTIONS = { dataRoot: '/home/me/qed', hostOs: 'linux' as const };

function migrate(text: string) {
  const plan = planMigration([{ path: 'set.yaml', text }], OPTIONS);
  const objects = plan.files.flatMap((f) => f.objects);
  const find = (kind: string, name: string, namespace?: string): KubeObject | undefined =>
    objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  return { objects, find, changes: plan.changes.map((c) => c.change), warnings: plan.warnings };
}

const pod = (namespace: string, spec: string) => `apiVersion: v1
kind: Pod
metadata: { name: app, namespace: ${namespace} }
spec:
${spec}`;

describe('repairInvalidNames', () => {
  it('renames within a namespace only: a reference in another namespace names another object', () => {
    const { find } = migrate(`apiVersion: v1
kind: ConfigMap
metadata: { name: App_Config, namespace: a }
---
${pod('a', '  containers: [{ name: app, envFrom: [{ configMapRef: { name: App_Config } }] }]')}
---
${pod('b', '  containers: [{ name: app, envFrom: [{ configMapRef: { name: App_Config } }] }]')}
`);
    expect(find('ConfigMap', 'app-config', 'a')).toBeDefined();
    expect(find('Pod', 'app', 'a')?.spec).toMatchObject({ containers: [{ envFrom: [{ configMapRef: { name: 'app-config' } }] }] });
    // Namespace b has no App_Config in this set: its reference is left for the user (and the server) to judge.
    expect(find('Pod', 'app', 'b')?.spec).toMatchObject({ containers: [{ envFrom: [{ configMapRef: { name: 'App_Config' } }] }] });
  });

  it('the same invalid name in two namespaces is repaired in both, without a collision', () => {
    const { find } = migrate(`apiVersion: v1
kind: ConfigMap
metadata: { name: App_Config, namespace: a }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: App_Config, namespace: b }
`);
    expect(find('ConfigMap', 'app-config', 'a')).toBeDefined();
    expect(find('ConfigMap', 'app-config', 'b')).toBeDefined();
  });

  it('a renamed Namespace moves every object in it, and the claims, subjects and storage classes that name it', () => {
    const { objects, find, changes } = migrate(`apiVersion: v1
kind: Namespace
metadata: { name: QED_Dev }
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: Local_Disk }
provisioner: kubernetes.io/no-provisioner
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: Deployer_Bot, namespace: QED_Dev }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: deployer, namespace: QED_Dev }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: deploy }
subjects: [{ kind: ServiceAccount, name: Deployer_Bot, namespace: QED_Dev }]
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: data-pv }
spec:
  storageClassName: Local_Disk
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  hostPath: { path: /data }
  claimRef: { namespace: QED_Dev, name: data }
`);
    expect(find('Namespace', 'qed-dev')).toBeDefined();
    expect(find('ServiceAccount', 'deployer-bot', 'qed-dev')).toBeDefined();
    expect(find('RoleBinding', 'deployer', 'qed-dev')).toMatchObject({ subjects: [{ kind: 'ServiceAccount', name: 'deployer-bot', namespace: 'qed-dev' }] });
    expect(objects.find((o) => o.kind === 'PersistentVolume')?.spec).toMatchObject({ storageClassName: 'local-disk', claimRef: { namespace: 'qed-dev', name: 'data' } });
    expect(changes).toContain('namespace QED_Dev -> qed-dev (follows the renamed Namespace)');
  });

  it('volume names inside a pod: the volume, its mounts and its devices', () => {
    const { find } = migrate(pod('a', `  containers:
  - name: app
    volumeMounts: [{ name: Data_Vol, mountPath: /data }]
    volumeDevices: [{ name: Raw_Vol, devicePath: /dev/xvda }]
  volumes:
  - { name: Data_Vol, emptyDir: {} }
  - { name: Raw_Vol, persistentVolumeClaim: { claimName: raw } }
`));
    expect(find('Pod', 'app', 'a')?.spec).toMatchObject({
      containers: [{ volumeMounts: [{ name: 'data-vol' }], volumeDevices: [{ name: 'raw-vol' }] }],
      volumes: [{ name: 'data-vol' }, { name: 'raw-vol' }],
    });
  });

  it('a renamed Service warns that settings naming its old host are not rewritten', () => {
    const { warnings } = migrate('apiVersion: v1\nkind: Service\nmetadata: { name: Qed_Django }\nspec: { ports: [{ port: 8080 }] }\n');
    expect(warnings).toEqual([expect.stringMatching(/the Service's DNS name changes from Qed_Django to qed-django: .*search them for Qed_Django$/)]);
  });

  it('quotes both sides of a selector, so a number label still selects its pods', () => {
    const { find, changes } = migrate(`apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web, version: 2 } }
  template:
    metadata: { labels: { app: web, version: 2 } }
    spec: { containers: [{ name: web, image: nginx }], nodeSelector: { tier: 1 } }
`);
    expect(find('Deployment', 'web')?.spec).toMatchObject({
      selector: { matchLabels: { version: '2' } },
      template: { metadata: { labels: { version: '2' } }, spec: { nodeSelector: { tier: '1' } } },
    });
    expect(changes).toEqual([
      'selector version 2 -> "2" (the server takes only strings here)',
      'pod template label version 2 -> "2" (the server takes only strings here)',
      'nodeSelector tier 1 -> "1" (the server takes only strings here)',
    ]);
  });
});
