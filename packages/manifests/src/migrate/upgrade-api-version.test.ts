import { isQedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import { type ManifestProblem, parseManifestText } from '../load-manifests.js';
import { planMigration } from './plan-migration.js';

const OPTIONS = { dataRoot: '/home/me/qed', hostOs: 'linux' } as const;

/** Migrates one inline manifest through the public, pure entry point. */
function migrate(text: string) {
  const plan = planMigration([{ path: 'm.yaml', text }], OPTIONS);
  return {
    object: plan.files[0]?.objects[0] as KubeObject,
    changes: plan.changes.map((c) => [c.line, c.change]),
    warnings: plan.warnings,
  };
}

function problemsOf(text: string): ManifestProblem[] {
  try {
    planMigration([{ path: 'm.yaml', text }], OPTIONS);
  } catch (error) {
    if (isQedError(error, 'MANIFESTS_INVALID')) return error.data?.problems as ManifestProblem[];
    throw error;
  }
  throw new Error('expected MANIFESTS_INVALID');
}

const template = (labels = '\n        app: web') => `
  template:
    metadata:
      labels:${labels}
    spec:
      containers:
        - name: web
          image: nginx`;

describe('workloads to apps/v1', () => {
  it.each([
    ['extensions/v1beta1', 'Deployment'],
    ['extensions/v1beta1', 'DaemonSet'],
    ['extensions/v1beta1', 'ReplicaSet'],
    ['apps/v1beta1', 'Deployment'],
    ['apps/v1beta1', 'StatefulSet'],
    ['apps/v1beta2', 'DaemonSet'],
    ['apps/v1beta2', 'StatefulSet'],
  ])('%s %s: new apiVersion and the selector the old version defaulted to', (apiVersion, kind) => {
    const { object, changes } = migrate(
      `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\nspec:\n  replicas: 1${template('\n        app: web\n        tier: front')}\n`,
    );
    expect(object.apiVersion).toBe('apps/v1');
    const spec = object.spec as Record<string, unknown>;
    // Written where a person writes it: before the template.
    expect(Object.keys(spec)).toEqual(['replicas', 'selector', 'template']);
    expect(spec.selector).toEqual({ matchLabels: { app: 'web', tier: 'front' } });
    expect(changes.slice(0, 2)).toEqual([
      [1, `apiVersion ${apiVersion} -> apps/v1`],
      [10, 'added spec.selector.matchLabels {app: web, tier: front} from the pod template labels'],
    ]);
  });

  it('keeps a selector that is already there', () => {
    const { object, changes } = migrate(
      `apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web${template()}\n`,
    );
    expect((object.spec as Record<string, unknown>).selector).toEqual({ matchLabels: { app: 'web' } });
    expect(changes).toEqual([[1, 'apiVersion apps/v1beta2 -> apps/v1']]);
  });

  it.each([
    // Located at the content of the deepest mapping that exists (lineOf's rule).
    ['no labels mapping', `\n  template:\n    metadata:\n      name: x\n    spec:\n      containers: []`, 8],
    ['an empty labels mapping', template(' {}'), 8],
    ['no template at all', '\n  replicas: 1', 6],
  ])('a template with %s is a problem: apps/v1 needs a selector', (_, body, line) => {
    expect(
      problemsOf(`apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\nspec:${body}\n`),
    ).toEqual([
      {
        file: 'm.yaml',
        line,
        column: 1,
        object: 'Deployment web',
        field: 'spec.template.metadata',
        message: expect.stringMatching(
          /^apps\/v1 requires spec.selector, and the pod template has no labels/,
        ),
      },
    ]);
  });

  it.each([
    [
      'Deployment',
      'rollbackTo:\n    revision: 3',
      7,
      'removed spec.rollbackTo (apps/v1 has no rollback field; roll back with `kubectl rollout undo`)',
    ],
    [
      'DaemonSet',
      'templateGeneration: 4',
      6,
      'removed spec.templateGeneration (apps/v1 tracks template revisions itself)',
    ],
  ])('%s: removes fields apps/v1 rejects', (kind, field, line, sentence) => {
    const { object, changes } = migrate(
      `apiVersion: extensions/v1beta1\nkind: ${kind}\nmetadata:\n  name: web\nspec:\n  ${field}${template()}\n`,
    );
    expect(Object.keys(object.spec as object)).toEqual(['selector', 'template']);
    expect(changes).toContainEqual([line, sentence]);
  });

  it.each([
    ['extensions/v1beta1', 'DaemonSet', '', 1],
    ['apps/v1beta1', 'StatefulSet', '', 1],
    ['extensions/v1beta1', 'DaemonSet', '\n  updateStrategy:\n    type: OnDelete', 0],
    // apps/v1beta2 already defaulted to RollingUpdate.
    ['apps/v1beta2', 'DaemonSet', '', 0],
    ['extensions/v1beta1', 'Deployment', '', 0],
  ])('%s %s%s: %i warning(s) about the update strategy default', (apiVersion, kind, strategy, count) => {
    const { warnings } = migrate(
      `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\nspec:${strategy}${template()}\n`,
    );
    expect(warnings.filter((w) => w.includes('updateStrategy'))).toHaveLength(count);
    if (count) expect(warnings[0]).toMatch(/^m\.yaml:6: \w+ web: .* OnDelete, apps\/v1 to RollingUpdate/);
  });
});

describe('Ingress to networking.k8s.io/v1', () => {
  it.each(['extensions/v1beta1', 'networking.k8s.io/v1beta1'])(
    '%s: backends, default backend and pathType',
    (apiVersion) => {
      const { object, changes } = migrate(`apiVersion: ${apiVersion}
kind: Ingress
metadata:
  name: qed
spec:
  backend:
    serviceName: qed-nginx
    servicePort: 80
  rules:
    - host: qed.local
      http:
        paths:
          - path: /flower
            backend:
              serviceName: celery-flower
              servicePort: http
          - path: /api
            pathType: Prefix
            backend:
              serviceName: qed-flask
              servicePort: "8080"
`);
      expect(object).toEqual({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'qed' },
        spec: {
          defaultBackend: { service: { name: 'qed-nginx', port: { number: 80 } } },
          rules: [
            {
              host: 'qed.local',
              http: {
                paths: [
                  {
                    path: '/flower',
                    pathType: 'ImplementationSpecific',
                    backend: { service: { name: 'celery-flower', port: { name: 'http' } } },
                  },
                  {
                    path: '/api',
                    pathType: 'Prefix',
                    backend: { service: { name: 'qed-flask', port: { number: 8080 } } },
                  },
                ],
              },
            },
          ],
        },
      });
      // The renamed default backend keeps its place, before the rules.
      expect(Object.keys(object.spec as object)).toEqual(['defaultBackend', 'rules']);
      expect(changes).toEqual([
        [1, `apiVersion ${apiVersion} -> networking.k8s.io/v1`],
        [7, 'spec.backend serviceName/servicePort -> service {name: qed-nginx, port: {number: 80}}'],
        [7, 'spec.backend -> spec.defaultBackend'],
        [
          15,
          'spec.rules[0].http.paths[0].backend serviceName/servicePort -> service {name: celery-flower, port: {name: http}}',
        ],
        [
          13,
          'added spec.rules[0].http.paths[0].pathType: ImplementationSpecific (networking.k8s.io/v1 requires one)',
        ],
        [
          20,
          'spec.rules[0].http.paths[1].backend serviceName/servicePort -> service {name: qed-flask, port: {number: 8080}}',
        ],
      ]);
    },
  );
});

describe('HorizontalPodAutoscaler to autoscaling/v2', () => {
  it('converts every autoscaling/v2beta1 metric source to a target', () => {
    const { object, changes } = migrate(`apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 5
  metrics:
    - type: Resource
      resource: { name: cpu, targetAverageUtilization: 80 }
    - type: Resource
      resource: { name: memory, targetAverageValue: 500Mi }
    - type: Pods
      pods: { metricName: requests, targetAverageValue: "10" }
    - type: Object
      object:
        target: { apiVersion: networking.k8s.io/v1, kind: Ingress, name: qed }
        metricName: hits
        targetValue: 2k
    - type: External
      external: { metricName: queue, metricSelector: { matchLabels: { q: qed } }, targetAverageValue: "30" }
`);
    expect(object.apiVersion).toBe('autoscaling/v2');
    expect((object.spec as { metrics: unknown }).metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
      },
      {
        type: 'Pods',
        pods: { metric: { name: 'requests' }, target: { type: 'AverageValue', averageValue: '10' } },
      },
      {
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'qed' },
          metric: { name: 'hits' },
          target: { type: 'Value', value: '2k' },
        },
      },
      {
        type: 'External',
        external: {
          metric: { name: 'queue', selector: { matchLabels: { q: 'qed' } } },
          target: { type: 'AverageValue', averageValue: '30' },
        },
      },
    ]);
    expect(changes).toEqual([
      [1, 'apiVersion autoscaling/v2beta1 -> autoscaling/v2'],
      [
        10,
        'spec.metrics[0] (Resource): targetAverageUtilization 80 -> target {type: Utilization, averageUtilization: 80}',
      ],
      [
        12,
        'spec.metrics[1] (Resource): targetAverageValue 500Mi -> target {type: AverageValue, averageValue: 500Mi}',
      ],
      [
        14,
        'spec.metrics[2] (Pods): metricName -> metric.name, targetAverageValue 10 -> target {type: AverageValue, averageValue: 10}',
      ],
      [
        16,
        'spec.metrics[3] (Object): target -> describedObject, metricName -> metric.name, targetValue 2k -> target {type: Value, value: 2k}',
      ],
      [
        21,
        'spec.metrics[4] (External): metricName/metricSelector -> metric.name/selector, targetAverageValue 30 -> target {type: AverageValue, averageValue: 30}',
      ],
    ]);
  });

  it('autoscaling/v2beta2 has the v2 shape already: only the apiVersion changes', () => {
    const metrics =
      '  metrics:\n    - type: Resource\n      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }\n';
    const { object, changes } = migrate(
      `apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n${metrics}`,
    );
    expect(object).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      },
    });
    expect(changes).toEqual([[1, 'apiVersion autoscaling/v2beta2 -> autoscaling/v2']]);
  });
});

describe('renames with the same schema', () => {
  it.each([
    ['batch/v1beta1', 'CronJob', 'batch/v1'],
    ['policy/v1beta1', 'PodDisruptionBudget', 'policy/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', 'rbac.authorization.k8s.io/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'RoleBinding', 'rbac.authorization.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'StorageClass', 'storage.k8s.io/v1'],
    ['extensions/v1beta1', 'NetworkPolicy', 'networking.k8s.io/v1'],
  ])('%s %s -> %s', (from, kind, to) => {
    const { object, changes, warnings } = migrate(
      `apiVersion: ${from}\nkind: ${kind}\nmetadata:\n  name: x\nspec:\n  a: 1\n`,
    );
    expect(object).toEqual({ apiVersion: to, kind, metadata: { name: 'x' }, spec: { a: 1 } });
    expect(changes).toEqual([[1, `apiVersion ${from} -> ${to}`]]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['{}', 1],
    ['\n    matchLabels: {}', 1],
    ['\n    matchLabels: { app: web }', 0],
  ])(
    'PodDisruptionBudget with selector %s: %i warning(s), since policy/v1 reads an empty one as every pod',
    (selector, count) => {
      const { warnings } = migrate(
        `apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: x\nspec:\n  minAvailable: 1\n  selector: ${selector}\n`,
      );
      expect(warnings).toHaveLength(count);
    },
  );
});

describe('what migrate does not convert', () => {
  it.each([
    [
      'apiextensions.k8s.io/v1beta1',
      'CustomResourceDefinition',
      /need a hand conversion to apiextensions.k8s.io\/v1/,
    ],
    ['policy/v1beta1', 'PodSecurityPolicy', /removed in Kubernetes 1.25 with no replacement object/],
    [
      'admissionregistration.k8s.io/v1beta1',
      'ValidatingWebhookConfiguration',
      /no rule for it; convert it by hand/,
    ],
  ])('%s %s: left unchanged, with a warning', (apiVersion, kind, message) => {
    const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\nspec:\n  a: 1\n`;
    const { object, changes, warnings } = migrate(text);
    expect(object).toEqual({ apiVersion, kind, metadata: { name: 'x' }, spec: { a: 1 } });
    expect(changes).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^m\\.yaml:1: ${kind} x: .*${message.source}`)),
    ]);
  });

  it.each([
    ['apps/v1', 'Deployment', `spec:\n  selector:\n    matchLabels:\n      app: web${template()}`],
    [
      'networking.k8s.io/v1',
      'Ingress',
      'spec:\n  defaultBackend:\n    service: { name: web, port: { number: 80 } }',
    ],
    ['v1', 'Service', 'spec:\n  selector: { app: web }\n  ports: [{ port: 80 }]'],
    ['v1', 'PersistentVolume', 'spec:\n  hostPath: { path: /srv/data }'],
    ['example.com/v1alpha1', 'Widget', 'spec: { size: 3 }'],
  ])('%s %s is current: kept exactly, no change reported', (apiVersion, kind, body) => {
    const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\n${body}\n`;
    const plan = planMigration([{ path: 'm.yaml', text }], OPTIONS);
    expect(plan.changes).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.files[0]?.objects).toEqual([expect.objectContaining({ apiVersion, kind })]);
    // Same content and the same key order as the input.
    expect(JSON.stringify(plan.files[0]?.objects[0])).toBe(
      JSON.stringify(parseManifestText(text, 'm.yaml').objects[0]?.object),
    );
  });
});
