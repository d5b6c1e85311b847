import type { KubeObject } from '../kube-object.js';
import { containersOf, podTemplateOf } from '../pod-spec.js';

/** One place an object takes a value from a Secret. */
export interface SecretRef {
  secretName: string | undefined;
  /** undefined when the whole Secret is taken (envFrom, a volume without items). */
  key: string | undefined;
  /** Field path of the reference, for locating problems. */
  path: Array<string | number>;
  via: 'env' | 'envFrom' | 'volume';
}

/**
 * Every Secret reference in a workload's pod template: env secretKeyRef, envFrom
 * secretRef, secret volumes and projected secret sources.
 */
export function secretRefsOf(object: KubeObject): SecretRef[] {
  const found = podTemplateOf(object);
  const spec = found?.template.spec;
  if (!found || !spec) return [];
  const specPath = [...found.path, 'spec'];
  const refs: SecretRef[] = [];
  for (const { container, path } of containersOf(spec, specPath)) {
    (container.env ?? []).forEach((env, i) => {
      const ref = env.valueFrom?.secretKeyRef;
      if (ref)
        refs.push({
          secretName: ref.name,
          key: ref.key,
          path: [...path, 'env', i, 'valueFrom', 'secretKeyRef'],
          via: 'env',
        });
    });
    (container.envFrom ?? []).forEach((source, i) => {
      if (source.secretRef)
        refs.push({
          secretName: source.secretRef.name,
          key: undefined,
          path: [...path, 'envFrom', i],
          via: 'envFrom',
        });
    });
  }
  (spec.volumes ?? []).forEach((volume, v) => {
    const volumePath = [...specPath, 'volumes', v];
    const fromSecret = (
      secretName: string | undefined,
      items: Array<{ key: string }> | undefined,
      at: Array<string | number>,
    ) => {
      if (!items || items.length === 0) refs.push({ secretName, key: undefined, path: at, via: 'volume' });
      else
        items.forEach((item, i) => {
          refs.push({ secretName, key: item.key, path: [...at, 'items', i], via: 'volume' });
        });
    };
    if (volume.secret) fromSecret(volume.secret.secretName, volume.secret.items, [...volumePath, 'secret']);
    (volume.projected?.sources ?? []).forEach((source, s) => {
      if (source.secret)
        fromSecret(source.secret.name, source.secret.items, [
          ...volumePath,
          'projected',
          'sources',
          s,
          'secret',
        ]);
    });
  });
  return refs;
}
