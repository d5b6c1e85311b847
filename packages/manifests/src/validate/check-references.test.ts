import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../load-manifests.js';
import { checkReferences } from './check-references.js';

function check(text: string) {
  const { objects, problems } = parseManifestText(text, 'm.yaml');
  expect(problems).toEqual([]);
  const report = checkReferences(objects);
  const format = (p: { line: number; object?: string; field?: string; message: string }) =>
    `${p.line} ${p.object} ${p.field}: ${p.message}`;
  return { problems: report.problems.map(format), warnings: report.warnings.map(format) };
}

const deployment = (podSpec: string, labels = 'app: web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        ${labels}
    spec:
${podSpec}`;

describe('checkReferences', () => {
  it('finds nothing wrong in a pod whose mounts, names and selector fit together', () => {
    const text = deployment(`      containers:
      - name: web
        ports: [{ name: http, containerPort: 80 }, { name: metrics, containerPort: 9090 }]
        volumeMounts: [{ name: data, mountPath: /data }, { name: data, mountPath: /backup, subPath: b }]
      volumes:
      - name: data
        emptyDir: {}
`);
    expect(check(text)).toEqual({ problems: [], warnings: [] });
  });

  it('a mount naming no volume, and a path mounted twice', () => {
    const text = deployment(`      containers:
      - name: web
        volumeMounts:
        - { name: data, mountPath: /srv }
        - { name: data, mountPath: /srv }
        - { name: django-pvolume, mountPath: /app }
      volumes:
      - { name: data, emptyDir: {} }
`);
    expect(check(text).problems).toEqual([
      '18 Deployment web spec.template.spec.containers[0].volumeMounts[1].mountPath: volumeMounts[1] mounts at /srv, as volumeMounts[0] already does: a path takes one mount; remove one or give it another path',
      '19 Deployment web spec.template.spec.containers[0].volumeMounts[2].name: volumeMounts[2] names volume django-pvolume, which the pod does not define: add it under volumes or remove the mount',
    ]);
  });

  it('a StatefulSet may mount its claim templates by name', () => {
    const text = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers:
      - { name: db, volumeMounts: [{ name: pgdata, mountPath: /var/lib/postgresql }] }
  volumeClaimTemplates:
  - metadata: { name: pgdata }
    spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;
    expect(check(text)).toEqual({ problems: [], warnings: [] });
  });

  it('names the server refuses: an object, a volume, a container; and duplicate container names across init and regular', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: { name: Web_1 }
spec:
  initContainers:
  - { name: setup }
  containers:
  - { name: setup }
  - { name: Main }
  volumes:
  - { name: my_data, emptyDir: {} }
`;
    expect(check(text).problems).toEqual([
      expect.stringMatching(
        /^3 Pod Web_1 metadata\.name: Web_1 is not a valid Pod name \(lower-case .*\): rename it web-1 and every reference to it; `qed-bootstrap manifests migrate` does that$/,
      ),
      expect.stringMatching(/^11 Pod Web_1 spec\.volumes\[0\]\.name: volume name my_data is not valid/),
      '8 Pod Web_1 spec.containers[0].name: container name setup is also used by initContainers[0]: every container of a pod needs its own name',
      expect.stringMatching(/^9 Pod Web_1 spec\.containers\[1\]\.name: container name Main is not valid/),
    ]);
  });

  it('port names: too long, upper case, or used twice in one container', () => {
    const text = deployment(`      containers:
      - name: web
        ports:
        - { name: http-management-port, containerPort: 8080 }
        - { name: HTTP, containerPort: 80 }
        - { name: web, containerPort: 81 }
        - { name: web, containerPort: 82 }
`);
    expect(check(text).problems).toEqual([
      expect.stringMatching(/^17 .*ports\[0\]\.name: port name http-management-port is not valid/),
      expect.stringMatching(/^18 .*ports\[1\]\.name: port name HTTP is not valid/),
      '20 Deployment web spec.template.spec.containers[0].ports[3].name: port name web is also used by ports[2]: each port of a container needs its own name',
    ]);
  });

  it('a selector that does not select its own pod template, by labels and by expressions', () => {
    expect(check(deployment('      containers: [{ name: web }]\n', 'app: website')).problems).toEqual([
      "7 Deployment web spec.selector: selects app=web, which the pod template's labels do not carry: the server refuses a workload that does not select its own pods; make spec.template.metadata.labels match",
    ]);
    const withExpressions = deployment('      containers: [{ name: web }]\n').replace(
      '    matchLabels:\n      app: web\n',
      '    matchExpressions:\n    - { key: app, operator: In, values: [web] }\n    - { key: tier, operator: Exists }\n',
    );
    expect(check(withExpressions).problems).toEqual([expect.stringMatching(/^7 Deployment web spec\.selector: selects tier Exists, which/)]);
  });

  it('a Service with several ports needs a name on each, and each its own', () => {
    const text = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  ports:
  - { port: 80 }
  - { name: api, port: 81 }
  - { name: api, port: 82 }
`;
    expect(check(text).problems).toEqual([
      '6 Service web spec.ports[0].name: is required when a Service has more than one port: name each port (e.g. http, postgres)',
      '8 Service web spec.ports[2].name: port name api is also used by spec.ports[1]: each port of a Service needs its own name',
    ]);
  });

  it('warns, without refusing, about a claim or a volume that none of the manifests creates', () => {
    const text = `${deployment(`      containers: [{ name: web }]
      volumes:
      - { name: data, persistentVolumeClaim: { claimName: web-data } }
      - { name: logs, persistentVolumeClaim: { claimName: web-logs } }
`)}---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: web-data }
spec: { volumeName: web-data-pv, resources: { requests: { storage: 1Gi } } }
`;
    expect(check(text)).toEqual({
      problems: [],
      warnings: [
        '17 Deployment web spec.template.spec.volumes[1].persistentVolumeClaim.claimName: names claim web-logs, which none of these manifests defines: the pod stays Pending until that PersistentVolumeClaim exists',
        '22 PersistentVolumeClaim web-data spec.volumeName: names PersistentVolume web-data-pv, which none of these manifests defines: the claim stays Pending until that volume exists',
      ],
    });
  });

  it('an empty port name is no name, as the server reads it', () => {
    const text = deployment('      containers: [{ name: web, ports: [{ name: "", containerPort: 80 }, { containerPort: 81 }] }]\n');
    expect(check(text).problems).toEqual([]);
  });

  it('a Service name must start with a letter (RFC 1035), a Namespace name need not', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: { name: 1web }\nspec: { ports: [{ port: 80 }] }\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: 1team }\n';
    expect(check(text).problems).toEqual([expect.stringMatching(/^3 Service 1web metadata\.name: 1web is not a valid Service name \(lower-case letters, digits and "-", starting with a letter/)]);
  });
});
