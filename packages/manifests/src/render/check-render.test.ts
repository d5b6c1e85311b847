import { fileURLToPath } from 'node:url';
import { DEFAULT_IMAGES, isQedError } from '@qed/core';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube-object.js';
import type { ManifestProblem } from '../load-manifests.js';
import { checkRenderPlan } from './check-render.js';
import { planRender } from './plan-render.js';
import { MANIFEST_PROFILES, type RenderPlan } from './render-types.js';

const MANIFESTS_DIR = fileURLToPath(new URL('../../../../manifests', import.meta.url));

describe('checkRenderPlan', () => {
  it.each(MANIFEST_PROFILES)('the QED set rendered for the %s profile passes every check, with no warning', async (profile) => {
    const plan = await planRender({
      manifestsDir: MANIFESTS_DIR,
      profile,
      namespace: 'qed',
      dataRoot: '/home/me/.qed/data',
      hostOs: 'linux',
      images: DEFAULT_IMAGES,
      secrets: { DJANGO_SECRET_KEY: 'k', POSTGRES_PASSWORD: 'p', GOOGLE_API_KEY: 'g' },
    });
    const checked = await checkRenderPlan(plan, '/out');
    expect(checked.objects).toHaveLength(plan.objects.length);
    expect(checked.warnings).toEqual([]);
  });

  it('refuses a plan whose pod mounts a volume it does not define, naming the file it would write and the line', async () => {
    const web: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'qed' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name: 'static', mountPath: '/srv' }] }] },
        },
      },
    };
    const plan: RenderPlan = { files: [{ name: 'web.yaml', objects: [web] }], objects: [web], requiredSecretKeys: [], warnings: [] };
    const error = await checkRenderPlan(plan, '/out').catch((e: unknown) => e);
    expect(isQedError(error, 'MANIFESTS_INVALID')).toBe(true);
    const problems = (error as { data: { problems: ManifestProblem[] } }).data.problems;
    expect(problems).toEqual([
      {
        file: '/out/web.yaml',
        line: 21,
        column: 1,
        object: 'Deployment qed/web',
        field: 'spec.template.spec.containers[0].volumeMounts[0].name',
        message: 'volumeMounts[0] names volume static, which the pod does not define: add it under volumes or remove the mount',
      },
    ]);
    expect((error as { hint: string }).hint).toMatch(/Nothing was written\.$/);
  });
});
