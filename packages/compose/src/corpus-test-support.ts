import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCompose } from './load-compose.js';
import { type ConvertOptions, convertProject } from './convert/convert-project.js';

/** QED's real compose files, from the history of its repositories (shared/ beside the repo). */
export const COMPOSE_CORPUS = fileURLToPath(new URL('../../../../shared/corpus/compose/', import.meta.url));

/** Files in the corpus that are not valid YAML in the QED history itself. */
export const BROKEN_IN_HISTORY = new Set(['qed-docker-compose-0a504cd7.yml']);

export function corpusFiles(): string[] {
  return readdirSync(COMPOSE_CORPUS)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(COMPOSE_CORPUS, f));
}

export const LOCAL_PROFILE: ConvertOptions = {
  controller: 'deployment',
  volumes: 'persistentVolumeClaim',
  bindFiles: 'hostPath',
  namespace: 'qed',
  volumeSize: '1Gi',
  os: 'linux',
  homeDir: '/home/dev',
  dataRoot: '/home/dev/.qed/data',
};

export async function convertFile(file: string, options: Partial<ConvertOptions> = {}) {
  const project = await loadCompose({ files: [file], env: {}, cwd: path.dirname(file) });
  return convertProject(project, { ...LOCAL_PROFILE, ...options });
}

/** A small project using every secret, config and kompose label shape convert translates. */
export const KOMPOSE_FEATURES = fileURLToPath(new URL('./__fixtures__/kompose-features/docker-compose.yml', import.meta.url));

export async function convertKomposeFeatures(options: Partial<ConvertOptions> = {}) {
  const project = await loadCompose({ files: [KOMPOSE_FEATURES], env: { DB_TLS_PEM: '-----BEGIN CERTIFICATE-----\n' }, cwd: path.dirname(KOMPOSE_FEATURES) });
  return convertProject(project, { ...LOCAL_PROFILE, ...options });
}

/** A small project using every compose key convert carries over from kompose's list (include, network_mode, networks, deploy.*, restart, …). */
export const COMPOSE_KEYS = fileURLToPath(new URL('./__fixtures__/compose-keys/docker-compose.yml', import.meta.url));

export async function convertComposeKeys(options: Partial<ConvertOptions> = {}) {
  const project = await loadCompose({ files: [COMPOSE_KEYS], env: {}, cwd: path.dirname(COMPOSE_KEYS) });
  return convertProject(project, { ...LOCAL_PROFILE, volumes: 'configMap', networkPolicies: true, ...options });
}
