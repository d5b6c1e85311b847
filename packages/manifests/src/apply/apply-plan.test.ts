import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import { planApply } from './apply-plan.js';

const obj = (kind: string, name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, ...(labels ? { labels } : {}) },
});

describe('planApply', () => {
  it('orders tiers so what others refer to comes first, and keeps unknown kinds for last', () => {
    const plan = planApply(
      [obj('Deployment', 'web'), obj('Widget', 'w'), obj('Service', 'web'), obj('Secret', 's'), obj('PersistentVolumeClaim', 'c'), obj('Namespace', 'qed'), obj('StatefulSet', 'db')],
      'qed',
    );
    expect(plan.tiers.map((t) => [t.name, t.objects.map((o) => `${o.kind}/${o.metadata.name}`)])).toEqual([
      ['namespaces', ['Namespace/qed']],
      ['storage', ['PersistentVolumeClaim/c']],
      ['config', ['Secret/s']],
      ['services', ['Service/web']],
      ['workloads', ['Deployment/web', 'StatefulSet/db']],
      ['other', ['Widget/w']],
    ]);
  });

  it('marks every object as managed by qed-bootstrap, keeping its other labels', () => {
    const [tier] = planApply([obj('ConfigMap', 'c', { app: 'x' })], 'qed').tiers;
    expect(tier?.objects[0]?.metadata.labels).toEqual({ app: 'x', 'app.kubernetes.io/managed-by': 'qed-bootstrap' });
  });
});
