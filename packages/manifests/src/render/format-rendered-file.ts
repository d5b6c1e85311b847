import { formatKubeYaml, REDACTED } from '@qed/core';
import type { KubeObject } from '../kube-object.js';
import type { RenderedFile, RenderPlan } from './render-types.js';

/** The first line of every rendered file; writeRender only ever replaces or removes files that start with it. */
export const RENDERED_HEADER = '# Rendered by qed-bootstrap';

export function holdsSecretValues(file: RenderedFile): boolean {
  return file.objects.some((object) => object.kind === 'Secret');
}

/**
 * A rendered file's text: a header, then one YAML document per object, each written
 * by formatKubeYaml: strings kubectl (YAML 1.1) would read as booleans or numbers
 * ("yes", "0400", "0o17") stay quoted; no line folding, so the output is the same on
 * every machine.
 */
export function formatRenderedFile(file: RenderedFile): string {
  const header = [
    `${RENDERED_HEADER}: ${file.name}. Edit manifests/base or manifests/profiles and render again.`,
  ];
  if (holdsSecretValues(file))
    header.push('# Holds secret values: keep it private (mode 0600) and never commit it.');
  const documents = file.objects.map((object) => formatKubeYaml(object));
  return `${header.join('\n')}\n---\n${documents.join('---\n')}`;
}

/** The plan with every Secret value replaced, for printing (--dry-run, --json). */
export function redactPlan(plan: RenderPlan): RenderPlan {
  const redact = (object: KubeObject): KubeObject => {
    if (object.kind !== 'Secret') return object;
    const copy = structuredClone(object);
    for (const field of ['stringData', 'data']) {
      const values = copy[field] as Record<string, string> | undefined;
      if (values) for (const key of Object.keys(values)) values[key] = REDACTED;
    }
    return copy;
  };
  const files = plan.files.map((file) => ({ name: file.name, objects: file.objects.map(redact) }));
  return { ...plan, files, objects: files.flatMap((file) => file.objects) };
}
