import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../load-manifests.js';
import { validateOffline } from './validate-offline.js';

async function problemsOf(text: string) {
  const { objects } = parseManifestText(text, 'm.yaml');
  const result = await validateOffline(objects);
  return { problems: result.problems.map((p) => `${p.line} ${p.object} ${p.field ?? '-'}: ${p.message}`), unknown: result.unknownKinds.length };
}

describe('validateOffline', () => {
  it('accepts a valid object', async () => {
    expect(await problemsOf('apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  ports: [{ port: 80 }]\n')).toEqual({ problems: [], unknown: 0 });
  });

  it('names the line and field of a wrong type and a missing required field', async () => {
    const { problems } = await problemsOf(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: two\n  selector: {}\n  template:\n    spec:\n      containers:\n        - image: nginx\n',
    );
    expect(problems).toEqual(['5 Deployment web spec.replicas: must be integer, not the string "two"', '10 Deployment web spec.template.spec.containers[0].name: is required']);
  });

  it('reads a field written with no value as not set, as the server does (qed_kube: `- protocol:`)', async () => {
    expect(await problemsOf('apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  ports:\n  - protocol:\n    port: 80\n')).toEqual({ problems: [], unknown: 0 });
  });

  it('sends a removed API to migrate', async () => {
    const { problems } = await problemsOf('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: { name: old }\n');
    expect(problems).toEqual([
      '1 Deployment old apiVersion: extensions/v1beta1 Deployment is no longer served (removed in Kubernetes 1.16; use apps/v1): run `qed-bootstrap manifests migrate`',
    ]);
  });

  it('leaves kinds that are not built in to the server', async () => {
    expect(await problemsOf('apiVersion: qed.example/v1\nkind: Widget\nmetadata: { name: w }\n')).toEqual({ problems: [], unknown: 1 });
  });
});
