import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KubeObject } from '@qed/manifests/kube-object';
import { loadCompose } from '../load-compose.js';
import { type ConvertOptions, convertProject } from './convert-project.js';

export const BASE_OPTIONS: ConvertOptions = { controller: 'deployment', volumes: 'persistentVolumeClaim', bindFiles: 'hostPath', namespace: 'qed', volumeSize: '1Gi', os: 'linux', homeDir: '/home/dev' };

type Fields = Record<string, unknown>;

/**
 * Converts a compose snippet written into a fresh folder (with its neighbour files),
 * with lookups for the tests: an object by kind and name, a workload's pod spec and
 * first container, and the warnings as "key: message".
 */
export async function convertSnippet(compose: string, options: Partial<ConvertOptions> = {}, extraFiles: Record<string, string | Buffer> = {}, env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qed-convert-'));
  await writeFile(path.join(dir, 'docker-compose.yml'), compose);
  for (const [name, text] of Object.entries(extraFiles)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  const project = await loadCompose({ files: ['docker-compose.yml'], env, cwd: dir });
  const result = await convertProject(project, { ...BASE_OPTIONS, ...options });
  const find = (kind: string, name: string): KubeObject | undefined => result.objects.find((o) => o.kind === kind && o.metadata.name === name);
  const get = (kind: string, name: string): KubeObject => {
    const found = find(kind, name);
    if (!found) throw new Error(`no ${kind} ${name} in ${result.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
    return found;
  };
  const podSpec = (name: string, kind = 'Deployment'): Fields => {
    const spec = get(kind, name).spec as Fields;
    const template = (kind === 'CronJob' ? ((spec.jobTemplate as Fields).spec as Fields).template : spec.template) as Fields;
    return template.spec as Fields;
  };
  const container = (name: string, kind = 'Deployment'): Fields => (podSpec(name, kind).containers as Fields[])[0] ?? {};
  const kinds = () => result.objects.map((o) => `${o.kind}/${o.metadata.name}`);
  return { dir, ...result, find, get, container, podSpec, kinds, messages: result.warnings.map((w) => `${w.key}: ${w.message}`) };
}

/** The located problems a refused conversion lists, file names shortened to their base name. */
export async function problemsOf(compose: string, options: Partial<ConvertOptions> = {}, extraFiles: Record<string, string> = {}, env: Record<string, string> = {}) {
  const error = await convertSnippet(compose, options, extraFiles, env).then(
    () => {
      throw new Error('expected the conversion to be refused');
    },
    (e: unknown) => e as { code?: string; data?: { problems?: Array<{ file: string; line: number; key: string; message: string }> } },
  );
  if (error.code !== 'COMPOSE_INVALID') throw error;
  return (error.data?.problems ?? []).map((p) => `${path.basename(p.file)}:${p.line} ${p.key}: ${p.message}`);
}
